// The policy and the command line the replay tests share.
import { runCli } from '../../src/cli/index.ts';

const BACKUP_WINDOW = `
windows:
  - name: postgres-nightly-backup
    kind: backup
    schedule: "0 2 * * *"
    duration: 45m
    timezone: UTC
    selector: { namespaces: [databases], names: ["postgres-*"] }
`;

/** The rule the agent had: memory above 5 GB for 60 s → restart, and nothing else. */
export function naivePolicy(prometheusUrl: string, withWindow: boolean): string {
  return `
version: 1
namespaceClasses:
  - name: production-critical
    critical: true
    namespaces: [databases]
    approvers: { users: [U0DBA0001] }
  - name: standard
defaultNamespaceClass: standard
rules:
  - name: naive-memory-restart
    action: restart-pod
    mode: suggest
    when:
      alert: { name: PodMemoryHigh }
      metric: { name: container_memory_working_set_bytes, above: 5GB, for: 60s }
${withWindow ? BACKUP_WINDOW : ''}
prometheus: { url: ${JSON.stringify(prometheusUrl)}, timeout: 20s }
kubernetes:
  clusters: [{ name: default, inCluster: true }]
`;
}

export async function replay(config: string, args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(['replay', '--config', 'belay.yaml', ...args], {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    readFile: async (path) => {
      if (path !== 'belay.yaml') throw new Error(`ENOENT: no such file ${path}`);
      return config;
    },
    env: {},
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}
