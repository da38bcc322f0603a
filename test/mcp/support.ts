// What the MCP tests share: the CLI's path, a kubeconfig for the fake API server, and a policy whose
// backup window is open now (the 02:17 of the story, for a child process that reads the real clock).
import { resolve } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { stringify } from 'yaml';

export const BELAY = resolve(import.meta.dirname, '..', '..', 'src', 'cli', 'belay.ts');

export function kubeconfig(server: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'belay-reader',
    clusters: [{ name: 'homelab', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'belay-reader', user: { token } }],
    contexts: [{ name: 'belay-reader', context: { cluster: 'homelab', user: 'belay-reader' } }],
  });
}

/** A daily backup window that opened five minutes ago, so "now" is the 02:17 of the story. */
function backupWindowOpenNow(): string {
  const opened = new Date(Date.now() - 5 * 60_000);
  return `"${opened.getUTCMinutes()} ${opened.getUTCHours()} * * *"`;
}

export function policy(storeDir: string, kubeconfigPath: string, limits = ''): string {
  return `
version: 1
namespaceClasses:
  - name: production-critical
    critical: true
    namespaces: [databases]
    approvers: { users: [U0DBA0001] }
  - name: staging
defaultNamespaceClass: staging
windows:
  - name: postgres-nightly-backup
    kind: backup
    schedule: ${backupWindowOpenNow()}
    duration: 45m
    timezone: UTC
    selector: { namespaces: [databases], names: ["postgres-*"] }
store: { dir: ${JSON.stringify(storeDir)} }
kubernetes:
  clusters:
    - name: homelab
      kubeconfig: ${JSON.stringify(kubeconfigPath)}
  requestTimeout: 5s
mcp:
  clients:
    - name: agent-local
${limits}
`;
}

export const text = (result: unknown): string =>
  ((result as CallToolResult).content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('\n');
export const data = (result: unknown) =>
  JSON.parse(text(result)) as { data: Record<string, unknown>; truncated?: string };
