import {
  AppsV1Api,
  type ConfigurationOptions,
  CoreV1Api,
  type KubeConfig,
  type ObservableMiddleware,
  type PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { Clock, Policy } from '../domain/index.ts';
import { requestTimeoutOptions } from '../kube/index.ts';
import { type CallSite, failureOutcome } from './api-failure.ts';
import { ExecutionStop } from './outcome.ts';

export interface ExecutorSettings {
  readonly clock: Clock;
  /** Waits between verification polls; tests pass one that moves a fake clock. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly verifyTimeoutMs: number;
  readonly pollIntervalMs: number;
  /** Each API request is abandoned after this long. */
  readonly requestTimeoutMs: number;
  /** Attempts for a read-modify-write that meets 409 Conflict. */
  readonly conflictAttempts: number;
  readonly safeConfigMaps: Policy['configMaps'];
  readonly fieldManager: string;
}

/** What one execution works with: write-identity clients for one cluster, and the settings. */
export interface ActContext extends ExecutorSettings {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  /** Per-request options: the request timeout, and the patch Content-Type when there is one. */
  options(contentType?: PatchStrategy): ConfigurationOptions<ObservableMiddleware>;
  /** Makes one API call; a failure stops the execution with an outcome that names the call. */
  call<T>(site: CallSite, run: () => Promise<T>): Promise<T>;
}

export function createActContext(kubeConfig: KubeConfig, settings: ExecutorSettings): ActContext {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  return {
    ...settings,
    core,
    apps,
    options(contentType) {
      const base = requestTimeoutOptions(settings.requestTimeoutMs);
      return contentType ? setHeaderOptions('Content-Type', contentType, base) : base;
    },
    async call(site, run) {
      try {
        return await run();
      } catch (error) {
        throw new ExecutionStop(failureOutcome(error, site));
      }
    },
  };
}

/** Re-runs a read-modify-write from the read when the API server answers 409, a bounded number of times. */
export async function withConflictRetry<T>(attempts: number, body: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await body();
    } catch (error) {
      const conflict = error instanceof ExecutionStop && error.outcome.httpStatus === 409;
      if (!conflict || attempt >= attempts) throw error;
    }
  }
}

export interface Verification {
  readonly ok: boolean;
  readonly detail: string;
  readonly waitedMs: number;
}

/**
 * Polls `check` until it reports done or the verification timeout passes on the injected clock. A failed
 * read counts as "not yet": the change is already made, so the question is only whether it took.
 */
export async function pollUntil(
  ctx: ActContext,
  check: () => Promise<{ done: boolean; detail: string }>,
): Promise<Verification> {
  const start = ctx.clock.now().getTime();
  let detail = 'not checked yet';
  for (;;) {
    try {
      const result = await check();
      detail = result.detail;
      if (result.done) return { ok: true, detail, waitedMs: ctx.clock.now().getTime() - start };
    } catch (error) {
      detail = error instanceof ExecutionStop ? error.outcome.message : String(error);
    }
    const waited = ctx.clock.now().getTime() - start;
    if (waited >= ctx.verifyTimeoutMs) return { ok: false, detail, waitedMs: waited };
    await ctx.sleep(Math.min(ctx.pollIntervalMs, ctx.verifyTimeoutMs - waited));
  }
}
