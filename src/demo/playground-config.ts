import { type Config, loadConfig } from '../config/index.ts';

/** The people of the playground's workspace, as the page's user picker offers them. */
export const PEOPLE = {
  U0DBA0001: 'Dana (DBA, approves databases)',
  U0SRE0001: 'Sam (on-call SRE, not a databases approver)',
  U0SEC0001: 'Riley (security lead)',
} as const;
export const INCIDENTS = 'C0INCIDENT1';
export const AM_TOKEN_ENV = 'DEMO_ALERTMANAGER_TOKEN';

export interface PlaygroundConfigInput {
  readonly storeDir: string;
  readonly kubeconfigPath: string;
  readonly prometheusUrl: string;
  readonly slackApiUrl: string;
  /** An OpenAI-compatible endpoint (OPENAI_BASE_URL); without it the deterministic orienter investigates. */
  readonly model?: { readonly baseURL: string; readonly model: string };
}

/**
 * The playground's belay.yaml: the operator's policy from the 02:17 story (examples/belay.yaml), pointed at
 * the embedded cluster, Prometheus and Slack, with a store in a temporary directory.
 */
export function playgroundConfigText(input: PlaygroundConfigInput): string {
  return `
version: 1
namespaceClasses:
  - name: production-critical
    critical: true
    namespaces: [databases]
    approvers: { users: [U0DBA0001] }
  - name: standard
    approvers: { users: [U0SRE0001, U0DBA0001] }
defaultNamespaceClass: standard
operators: { users: [U0SRE0001], security: { users: [U0SEC0001] } }
windows:
  - name: postgres-nightly-backup
    kind: backup
    description: pg_dump of every database; holds the data in memory until it is written out.
    schedule: "0 2 * * *"
    duration: 45m
    timezone: UTC
    selector: { namespaces: [databases], names: ["postgres-*"] }
rules:
  - name: memory-pressure-restart
    description: A pod above 5 GB for a minute, outside its windows, not restarted in the last hour.
    action: restart-pod
    mode: suggest
    when:
      alert: { name: PodMemoryHigh }
      metric: { name: container_memory_working_set_bytes, above: 5GB, for: 60s }
      notInWindow: true
      notRestartedWithin: 1h
      namespaceClass: { notIn: [production-critical] }
  - name: crashloop-after-rollout-rollback
    action: rollback-deployment
    mode: suggest
    when:
      alert: { name: KubePodCrashLooping }
      rolledOutWithin: 30m
      workloadKind: { in: [Deployment] }
  - name: crashloop-restart
    action: restart-pod
    mode: suggest
    when:
      alert: { name: KubePodCrashLooping }
      namespaceClass: { in: [standard] }
store: { dir: ${JSON.stringify(input.storeDir)} }
intake:
  port: 8080
  host: 127.0.0.1
  alertmanager:
    auth:
      bearer: { tokenEnv: ${AM_TOKEN_ENV} }
kubernetes:
  clusters:
    - name: default
      kubeconfig: ${JSON.stringify(input.kubeconfigPath)}
      context: belay-reader
      write: { kubeconfig: ${JSON.stringify(input.kubeconfigPath)}, context: belay-writer }
  verification: { timeout: 1m, pollInterval: 1s }
prometheus:
  url: ${input.prometheusUrl}
slack:
  mode: http
  port: 8080
  apiUrl: ${input.slackApiUrl}
  incidentChannel: ${INCIDENTS}
${
  input.model
    ? `llm:
  baseURL: ${JSON.stringify(input.model.baseURL)}
  model: ${JSON.stringify(input.model.model)}
`
    : ''
}`;
}

export function playgroundConfig(input: PlaygroundConfigInput): Config {
  const loaded = loadConfig(playgroundConfigText(input), 'playground.yaml');
  // The text is ours: a problem here is a bug in the playground, not something the user can fix.
  if (!loaded.ok)
    throw new Error(
      `the playground's own config is invalid: ${loaded.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  return loaded.config;
}
