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
  createFleetSizeCache,
  FLEET_SIZE_TTL_MS,
  type FleetReading,
  type FleetSize,
  type FleetSizeCache,
  readFleetSize,
} from './fleet-size.ts';
export {
  backupSettingsFrom,
  type GatherFactsDeps,
  gatherFacts,
  type NonKubernetesFacts,
  type OccurrencesAt,
} from './gather-facts.ts';
export { type OwnerCache, resolveTopOwner } from './owner-chain.ts';
export {
  createKubernetesReadTools,
  DEFAULT_TOOL_LIMITS,
  type KubernetesToolDeps,
  type ToolLimits,
} from './tools/index.ts';
