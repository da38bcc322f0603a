import type { ReadTool } from '../observe/read-tool.ts';
import type { FindingsScope } from './findings-scope.ts';

// Every tool offered is resent, schema and all, with every model call of the investigation, so a tool the
// incident cannot use is paid for three times and read by nobody. Tools that read something other than
// this incident's objects (metrics, Loki, events, the namespace, its CronJobs) are always offered; they
// are only composed at all when their backend is configured (compose-read-tools.ts).

/** When a tool can say something about this incident; absent: always. */
const USEFUL: Readonly<Record<string, (scope: FindingsScope) => boolean>> = {
  // Revisions exist only for Deployments: useful when the incident's workload is one, or is not known.
  rollout_history: (s) => !s.workload || s.workload.kind === 'Deployment',
  // A pod's details and logs: the incident has a pod, or a workload whose pods pods_list names.
  pod_get: (s) => s.pods.length > 0 || s.workload !== undefined,
  pod_logs: (s) => s.pods.length > 0 || s.workload !== undefined,
};

/** The read tools this incident's investigation is offered, in their given order. */
export function incidentTools(tools: readonly ReadTool[], scope: FindingsScope): ReadTool[] {
  return tools.filter((t) => USEFUL[t.name]?.(scope) ?? true);
}
