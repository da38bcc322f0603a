// Apart from mcp.ts, so `belay help` lists mcp without loading the MCP SDK and the Kubernetes client.
export const MCP_USAGE = 'belay mcp --config FILE [--client NAME] [--http [--port N] [--host ADDRESS]]';
