import type { KubernetesSection } from '../config/sections/kubernetes.ts';
import type { Clock, Policy } from '../domain/index.ts';
import type { ExecutorSettings } from './act-context.ts';

/** The executor's settings from the `kubernetes:` section and the policy's safe ConfigMap keys. */
export function executorSettingsFrom(
  section: KubernetesSection,
  policy: Pick<Policy, 'configMaps'>,
  clock: Clock,
  sleep: (ms: number) => Promise<void>,
): ExecutorSettings {
  return {
    clock,
    sleep,
    verifyTimeoutMs: section.verification.timeout,
    pollIntervalMs: section.verification.pollInterval,
    requestTimeoutMs: section.requestTimeout,
    conflictAttempts: section.conflictAttempts,
    fieldManager: section.fieldManager,
    safeConfigMaps: policy.configMaps,
  };
}
