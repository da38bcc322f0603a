import type { KubernetesSection } from '../../config/sections/kubernetes.ts';
import type { BackupDiscoverySettings } from './backup-windows.ts';

/** How backup CronJobs become windows, where else they live, and whether an unreadable list blocks. */
export type BackupSettings = BackupDiscoverySettings & {
  /** Namespaces besides the target's own where backup CronJobs live. */
  readonly namespaces: readonly string[];
  /** With fail-closed, a CronJob list that cannot be read blocks like a window. */
  readonly failClosed: boolean;
};

/** Backup discovery settings from the `kubernetes.backups` config section. */
export function backupSettingsFrom(section: KubernetesSection): BackupSettings {
  const b = section.backups;
  return {
    marginMs: b.margin,
    assumedDurationMs: b.assumedDuration,
    recentRuns: b.recentRuns,
    namespaces: b.namespaces,
    failClosed: b.failClosed,
  };
}
