export { createBelayMcpServer } from './belay-mcp-server.ts';
export { type CallLimits, createCallLimits, DEFAULT_MCP_LIMITS, type McpLimits } from './call-limits.ts';
export { type IncidentReader, type McpDeps, mcpUser } from './mcp-deps.ts';
export { type McpHttpOptions, type RunningMcpHttp, serveMcpHttp } from './serve-mcp-http.ts';
export { serveMcpStdio } from './serve-mcp-stdio.ts';
