export type { ActContext, ExecutorSettings, Verification } from './act-context.ts';
export type { CallSite, Phase } from './api-failure.ts';
export { createExecutor, EXECUTOR_CALLS, type Executor, type ExecutorDeps, noInverse } from './executor.ts';
export { executorSettingsFrom } from './executor-settings.ts';
export { EXECUTION_STATUSES, type ExecutionOutcome, type ExecutionStatus } from './outcome.ts';
export { type ApiPermission, P, permissionKey } from './permissions.ts';
export { type RevertSnapshot, revertSnapshotSchema } from './revert-snapshot.ts';
