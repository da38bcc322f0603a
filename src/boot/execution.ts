import { createExecutor, executorSettingsFrom } from '../act/index.ts';
import type { Config } from '../config/index.ts';
import type { Clock } from '../domain/index.ts';
import { createExecutionGate, type GateDeps } from '../govern/execution-gate.ts';
import { createInFlight } from '../govern/in-flight.ts';
import type { Clusters } from '../kube/index.ts';

/**
 * The one gate to any cluster write, over the executor, with every execution and revert tracked so a stop
 * can let the one in flight finish its verification.
 */
export function wireExecution(
  options: Pick<GateDeps, 'store' | 'audit' | 'facts'> & {
    readonly config: Config;
    readonly clusters: Pick<Clusters, 'writerFor'>;
    readonly clock: Clock;
    readonly sleep: (ms: number) => Promise<void>;
  },
) {
  const { config, clock } = options;
  const executor = createExecutor({
    writerFor: options.clusters.writerFor,
    ...executorSettingsFrom(config.kubernetes, config, clock, options.sleep),
  });
  const ungated = createExecutionGate({ ...options, policy: config, executor, clock });
  const inFlight = createInFlight();
  const gate: typeof ungated = {
    ...ungated,
    run: (...args) => inFlight.track(() => ungated.run(...args)),
    revert: (...args) => inFlight.track(() => ungated.revert(...args)),
  };
  return { gate, inFlight };
}
