export {
  BACKUP_FOR,
  type BackupDiscoverySettings,
  backupJobWindows,
  backupWindowsFrom,
  jobDurationMs,
  jobState,
  parseBackupTarget,
} from './backup-windows.ts';
export {
  type Clusters,
  type Identity,
  type KubeConfigLoader,
  loadClusters,
  loadKubeConfig,
} from './clusters.ts';
export {
  backupSettingsFrom,
  type GatherFactsDeps,
  gatherFacts,
  type NonKubernetesFacts,
  type OccurrencesAt,
} from './gather-facts.ts';
export {
  createKubeReader,
  type KubeReader,
  type ListQuery,
  type ListResult,
  type LogQuery,
  READER_PERMISSIONS,
  type ReadableKind,
  type ReadableKinds,
} from './kube-reader.ts';
export { labelSelectorString } from './label-selector.ts';
export { type OwnerCache, resolveTopOwner } from './owner-chain.ts';
export { requestTimeoutOptions } from './request-timeout.ts';
export {
  createKubernetesReadTools,
  DEFAULT_TOOL_LIMITS,
  type KubernetesToolDeps,
  type ToolLimits,
} from './tools/index.ts';
