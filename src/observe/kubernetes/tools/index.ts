import type { ReadTool } from '../../read-tool.ts';
import { cronjobsList } from './cronjobs-list.ts';
import { eventsList } from './events-list.ts';
import { namespaceGet } from './namespace-get.ts';
import { podGet } from './pod-get.ts';
import { podLogs } from './pod-logs.ts';
import { podsList } from './pods-list.ts';
import { rolloutHistory } from './rollout-history.ts';
import type { KubernetesToolDeps } from './tool-deps.ts';
import { workloadGet } from './workload-get.ts';

export { DEFAULT_TOOL_LIMITS, type KubernetesToolDeps, type ToolLimits } from './tool-deps.ts';

/** The Kubernetes investigation tools, as data. Every one of them only reads. */
export function createKubernetesReadTools(deps: KubernetesToolDeps): ReadTool[] {
  return [
    podsList(deps),
    podGet(deps),
    eventsList(deps),
    podLogs(deps),
    workloadGet(deps),
    rolloutHistory(deps),
    cronjobsList(deps),
    namespaceGet(deps),
  ];
}
