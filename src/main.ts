#!/usr/bin/env node
// The composition root: the only file that builds concrete objects and wires them together. Everything
// else receives what it needs as parameters, so every part can be tested with real doubles.
import { join } from 'node:path';
import type { webApi } from '@slack/bolt';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createExecutor, executorSettingsFrom } from './act/index.ts';
import { withAuditMetrics } from './boot/audit-metrics.ts';
import { startIntake } from './boot/intake.ts';
import { modelPort } from './boot/model-port.ts';
import { wirePatternRefresh } from './boot/pattern-refresh.ts';
import { wireRemediationService } from './boot/remediation-service.ts';
import { noteDryRunRules } from './boot/rule-records.ts';
import { wireSchedules } from './boot/schedules.ts';
import { wireSlackApp } from './boot/slack-app.ts';
import { wireSlackSending } from './boot/slack-sending.ts';
import { startupSecrets } from './boot/startup-secrets.ts';
import { composeMcpDeps, startMcpEndpoint } from './compose/compose-mcp.ts';
import { acquireLeadership, composeFacts, composeReadTools } from './compose/index.ts';
import {
  type Config,
  type Env,
  formatConfigProblem,
  missingSecrets,
  processEnvironment,
  readConfigFile,
  readProcessEnv,
} from './config/index.ts';
import { DEFAULT_STOP_GRACE } from './config/sections/slack.ts';
import { type Clock, systemClock } from './domain/index.ts';
import { createExecutionGate } from './govern/execution-gate.ts';
import { createInFlight } from './govern/in-flight.ts';
import { createIncidentGraphs } from './govern/incident-graphs.ts';
import { createIncidentPipeline } from './govern/incident-pipeline.ts';
import { createIncidentPresenter } from './govern/incident-presenter.ts';
import { withRuleModes } from './govern/rule-record-use-cases.ts';
import {
  createAuditLog,
  createRuleRecordsStore,
  createSlackOutboxFile,
  createStateStore,
  createWriteWatch,
} from './govern/store/index.ts';
import { createGraphProcess } from './graph/graph-process.ts';
import { createEventLoopWatch, createHealthRegistry } from './health/index.ts';
import type { KubeConfigLoader } from './kube/index.ts';
import {
  createBelayMetrics,
  createMetricsServer,
  instrumentedModelFetch,
  recordAuditEvent,
  registerHealthGauge,
  scrape,
} from './metrics/index.ts';
import { createCorrelator } from './observe/correlate/index.ts';
import { createFleetSizeCache, FLEET_SIZE_TTL_MS, readFleetSize } from './observe/kubernetes/index.ts';
import type { PatternCache } from './observe/patterns/index.ts';
import { createOrienter, loadPrompts } from './orient/index.ts';

export interface BelayOptions {
  readonly config: Config;
  readonly env: Env;
  /** The raw environment, for secrets the config names by variable. */
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly clock?: Clock;
  readonly logger?: pino.Logger;
  /** How kubeconfigs are loaded; tests point it at a fake API server. */
  readonly kubeConfigLoader?: KubeConfigLoader;
  /** How the executor waits while verifying; tests drive it from a fake clock. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Ports to listen on instead of the config's (0 picks a free one). */
  readonly ports?: {
    readonly intake?: number;
    readonly slack?: number;
    readonly metrics?: number;
    readonly mcp?: number;
  };
  readonly slackRetryConfig?: webApi.RetryOptions;
  /** This instance's name in the Lease (default host_uuid); tests run two with known names. */
  readonly leaderIdentity?: string;
  /** What happens after a lost lease or lock has stopped everything; default: exit 1 for a restart. */
  readonly onLeadershipLost?: (reason: string) => void;
}

export interface RunningBelay {
  readonly intakePort: number;
  readonly slackPort?: number;
  /** Set when intake.metricsPort serves /metrics apart from the intake. */
  readonly metricsPort?: number;
  /** The MCP endpoint's port, when `mcp.http.enabled`. */
  readonly mcpPort?: number;
  /** Executions and reverts running now: stop() lets them verify, up to the verification timeout + 30 s. */
  executionsInFlight(): number;
  /** How long stop() waits for executions in flight at most. */
  readonly drainDeadlineMs: number;
  /** The recurring patterns cached in the background, when prometheus.patterns is set. */
  readonly patterns?: PatternCache;
  stop(): Promise<void>;
}

export async function startBelay(options: BelayOptions): Promise<RunningBelay> {
  const { config, env } = options;
  const clock = options.clock ?? systemClock;
  const root = options.logger ?? pino({ level: env.logLevel });
  const logger = root.child({ component: 'belay' });
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const {
    slack,
    botToken,
    intake: secrets,
    prometheusToken,
    lokiToken,
  } = startupSecrets(config, env, options.environment);

  // One writer at a time: wait here (hot standby) until this process holds the Lease or the store lock,
  // and fence every store and audit write on still holding it.
  const leadership = await acquireLeadership({
    config,
    clock,
    ...(options.kubeConfigLoader ? { kubeConfigLoader: options.kubeConfigLoader } : {}),
    ...(options.leaderIdentity ? { identity: options.leaderIdentity } : {}),
    onWaiting: (message) => logger.warn({ part: 'leadership' }, message),
  });
  logger.info({ part: 'leadership', lock: leadership.description, identity: leadership.identity }, 'leading');
  const fence = () => leadership.assertLeader();
  // One registry for the process, never prom-client's global one: two Belays in one test process stay apart.
  const registry = new Registry();
  let backlog: { readonly size: number; oldestAgeMs(): number } | undefined;
  let sendQueue: { readonly pending: number } | undefined;
  const metrics = createBelayMetrics({
    registry,
    ruleNames: config.rules.map((r) => r.name),
    sources: {
      openIncidents: () => store.listIncidents({ status: 'open' }).length,
      frozen: () => store.freeze().active,
      paused: () => store.pause().active,
      intakeBacklog: () => ({
        size: backlog?.size ?? 0,
        oldestAgeSeconds: (backlog?.oldestAgeMs() ?? 0) / 1_000,
      }),
      slackQueueDepth: () => sendQueue?.pending ?? 0,
    },
  });
  const store = await createStateStore({
    dir: config.store.dir,
    clock,
    onWrite: (seconds, ok) => metrics.storeWrite('state', seconds, ok),
    fence,
  });
  const audit = withAuditMetrics(
    await createAuditLog({ dir: join(config.store.dir, 'audit'), clock, fence }),
    (event) =>
      recordAuditEvent(metrics, event, (id) => (id ? store.getProposal(id)?.action.kind : undefined)),
    (seconds, ok) => metrics.storeWrite('audit', seconds, ok),
  );
  const writes = createWriteWatch();
  // Every Slack message is recorded here before it is sent; what the last run did not send is resumed.
  const outbox = await createSlackOutboxFile({ dir: join(config.store.dir, 'outbox') });

  // Promotions, dry-run reviews and outcomes: what Belay learns about its rules (rule-records.json).
  const records = await createRuleRecordsStore({ dir: config.store.dir, fence });
  await noteDryRunRules(config, records, clock);
  // Recurring patterns from Prometheus's history, learned in the background (prometheus.patterns).
  const patterns = wirePatternRefresh({
    config,
    clock,
    logger,
    ...(prometheusToken ? { token: prometheusToken } : {}),
  });
  const {
    clusters,
    prometheus,
    configWindows,
    facts: gatheredFacts,
  } = composeFacts({
    config,
    clock,
    state: store,
    ...(patterns ? { patterns: patterns.cache.current } : {}),
    ...(options.kubeConfigLoader ? { kubeConfigLoader: options.kubeConfigLoader } : {}),
    ...(prometheusToken ? { prometheusToken } : {}),
    ...(secrets.pagerdutyApiToken ? { pagerdutyApiToken: secrets.pagerdutyApiToken } : {}),
  });
  // Every decision reads the rules' promoted and demoted modes through the facts.
  const facts = withRuleModes(gatheredFacts, records);
  const executor = createExecutor({
    writerFor: clusters.writerFor,
    ...executorSettingsFrom(config.kubernetes, config, clock, sleep),
  });
  const ungated = createExecutionGate({ policy: config, store, audit, facts, executor, clock });
  // Every execution and revert is tracked, so stop() can let one finish its verification.
  const inFlight = createInFlight();
  const gate: typeof ungated = {
    ...ungated,
    run: (...args) => inFlight.track(() => ungated.run(...args)),
    revert: (...args) => inFlight.track(() => ungated.revert(...args)),
  };

  // The fleet a storm's share is measured against: read in the background, never on the webhook's path.
  const fleet = createFleetSizeCache({
    read: () => readFleetSize(clusters.names.flatMap((name) => clusters.readerFor(name) ?? [])),
    clock,
    ttlMs: FLEET_SIZE_TTL_MS,
  });
  void fleet.refresh(); // so the first storm message already knows it
  const { edgeLogger, queue, client, notifier, groups, retryConfig } = wireSlackSending({
    config,
    slack,
    botToken,
    root,
    store,
    outbox,
    clock,
    ...(options.slackRetryConfig ? { retryConfig: options.slackRetryConfig } : {}),
    onRetry: (reason) => metrics.slackRetry(reason),
    fleet: () => fleet.current(),
  });
  sendQueue = queue;
  const presenter = createIncidentPresenter({ store, audit, notifier });
  const {
    service,
    outcomes,
    gate: recordedGate,
    reviews,
  } = wireRemediationService({
    config,
    records,
    store,
    audit,
    presenter,
    notifier,
    clock,
    groupsOf: groups.groupsOf,
    prometheus,
    gate,
    facts,
    calendar: () => configWindows,
    ...(prometheusToken ? { prometheusToken } : {}),
  });

  const tools = composeReadTools({
    config,
    clusters,
    prometheus,
    clock,
    ...(lokiToken ? { lokiToken } : {}),
  });
  // Agents over MCP: read, explain, and propose through the same use-case as /remediate propose.
  const mcp = await startMcpEndpoint(
    config,
    options.environment,
    composeMcpDeps({
      config,
      clock,
      tools,
      defaultCluster: clusters.defaultCluster,
      facts,
      audit,
      bot: { store, audit, service },
    }),
    options.ports?.mcp,
  );
  const orienter = createOrienter({
    tools,
    prompts: await loadPrompts(),
    clock,
    ...(config.llm ? { threadTurns: config.llm.threadTurns } : {}),
    safeConfigMaps: config.configMaps,
    ...modelPort(config, env, instrumentedModelFetch(metrics)),
  });
  const correlator = createCorrelator({
    store,
    clock,
    defaultCluster: clusters.defaultCluster,
    staleAfterMs: config.intake.correlation.staleAfter,
    stormWorkloads: config.intake.correlation.stormWorkloads,
    stormPods: config.intake.correlation.stormPods,
    stormAlerts: config.intake.correlation.stormAlerts,
    stormWindowMs: config.intake.correlation.stormWindow,
  });
  // The incident's metric as a picture in its thread, drawn in a child process so the event loop stays free
  // and the memory rasterising takes is handed back; without Prometheus the thread says why there is none.
  const graphRenderer = createGraphProcess();
  const graphs = createIncidentGraphs({
    ...(prometheus ? { history: prometheus.history } : {}),
    render: (spec) => graphRenderer.render(spec),
    post: async (incidentId, file) => presenter.graph?.(incidentId, file),
    line: (incidentId, text) => presenter.line(incidentId, text),
  });
  const investigated = createIncidentPipeline({
    policy: config,
    store,
    audit,
    correlate: (alerts) => correlator.ingest(alerts),
    orient: (input) => orienter.orient(input),
    answer: (input) => orienter.answerQuestion(input),
    facts,
    gate: recordedGate,
    reviewDryRun: reviews.post,
    presenter,
    clock,
    autoRevertOnFailedVerification: config.autoRevertOnFailedVerification,
    dryRunLines: slack.dryRunLines,
    investigationConcurrency: config.intake.correlation.investigationConcurrency,
    stormInvestigations: config.intake.correlation.stormInvestigations,
    graphs,
  });
  // Every alert that arrives (webhook or Slack message) also settles the outcomes it resolves or reopens.
  const pipeline: typeof investigated = {
    ...investigated,
    handleAlerts: async (alerts) => {
      await investigated.handleAlerts(alerts);
      await outcomes.observe(alerts);
    },
  };

  for (const p of await gate.reconcileInterrupted()) {
    await presenter.proposalChanged(p, undefined, p.outcome?.message);
  }

  let ready = false;
  // /healthz and /readyz: named checks, also scraped as belay_health_check (README, "Operating Belay").
  const health = createHealthRegistry();
  const loop = createEventLoopWatch({
    maxStallMs: config.intake.health.maxEventLoopStall,
    windowMs: config.intake.health.stallWindow,
  });
  health.add({ name: 'event-loop', probes: ['liveness'], state: loop.state });
  registerHealthGauge(registry, health);
  // Every acknowledged delivery is in the intake's inbox on disk first; what the last run did not process
  // is replayed. The intake runs on a thread of its own, so acks never wait behind processing.
  const intake = await startIntake({
    config,
    secrets,
    handleAlerts: (alerts) => pipeline.handleAlerts(alerts),
    inboxDir: join(config.store.dir, 'inbox'),
    listen: { port: options.ports?.intake ?? config.intake.port, host: config.intake.host },
    writes,
    store,
    audit,
    health,
    clock,
    root,
    ready: () => ready,
    ...(config.intake.metricsPort === undefined ? { metrics: () => scrape(registry) } : {}),
    onDelivery: (source, result) => metrics.alertReceived(source, result),
  });
  backlog = intake.backlog;
  const metricsServer = config.intake.metricsPort === undefined ? undefined : createMetricsServer(registry);
  const metricsAddress = await metricsServer?.listen(
    options.ports?.metrics ?? config.intake.metricsPort ?? 0,
    config.intake.host,
  );

  const slackApp = wireSlackApp({
    config,
    env,
    slack,
    botToken,
    pagerdutyApiToken: secrets.pagerdutyApiToken,
    service,
    pipeline,
    onSlackAlert: () => metrics.alertReceived('slack', 'accepted'),
    logger,
    edgeLogger,
    clock,
    queue,
    retryConfig,
    health,
  });
  const schedules = wireSchedules({
    config,
    slack,
    store,
    audit,
    presenter,
    clock,
    logger,
    queue,
    client,
    outcomes,
  });
  const started = await slackApp.start(options.ports?.slack ?? slack.port);
  // In the background: a Slack that is down must not keep Belay from taking alerts.
  const resumed = notifier.resume();
  ready = true;
  intake.sync();
  logger.info({ intake: intake.port, slack: started.port ?? slack.mode }, 'Belay is running');

  // Below the pod's terminationGracePeriodSeconds (deploy/deployment.yaml), above a verification.
  const drainDeadlineMs = config.kubernetes.verification.timeout + 30_000;
  let stopping: Promise<void> | undefined;
  const stopAll = (drain: boolean) =>
    (stopping ??= (async () => {
      ready = false;
      loop.stop();
      await graphRenderer.close();
      await mcp?.close();
      // No new alerts, no new ticks; let executions in flight finish (unless the lease is gone, and with
      // it the right to write); then no more retries against a Slack we are leaving; then disconnect.
      patterns?.stop();
      await Promise.allSettled([intake.stopListening(), schedules.stop(), metricsServer?.close()]);
      const drained = await inFlight.drain(drain ? drainDeadlineMs : 0);
      if (!drained.finished)
        logger.error(
          { part: 'shutdown', left: drained.left },
          'stopping with executions still running: look at their proposals after the restart',
        );
      queue.close();
      // The delivery in progress finishes (its Slack waits just ended) so its inbox cursor is written before
      // the inbox closes; deliveries still waiting stay in the inbox for the next start.
      await intake.stopProcessing().catch(() => undefined);
      await Promise.allSettled([slackApp.stop(), intake.close(), resumed]);
      await Promise.allSettled([outbox.close(), audit.close()]);
      await leadership.release();
    })());
  void leadership.lost.then(async (reason) => {
    logger.error(
      { part: 'leadership', reason },
      'lost the single-writer lock: stopping everything and exiting, so the restart waits as a standby',
    );
    await stopAll(false);
    (options.onLeadershipLost ?? (() => process.exit(1)))(reason);
  });

  return {
    intakePort: intake.port,
    ...(started.port !== undefined ? { slackPort: started.port } : {}),
    ...(metricsAddress ? { metricsPort: metricsAddress.port } : {}),
    ...(mcp ? { mcpPort: mcp.port } : {}),
    executionsInFlight: () => inFlight.count(),
    drainDeadlineMs,
    ...(patterns ? { patterns: patterns.cache } : {}),
    stop: () => stopAll(true),
  };
}

/** `npm start`: read the environment and the config, say exactly what is missing, or run until stopped. */
async function main(): Promise<void> {
  const envResult = readProcessEnv();
  if (!envResult.ok) {
    for (const p of envResult.problems) console.error(p.message);
    process.exit(1);
  }
  const env = envResult.env;
  const path = env.configPath ?? 'belay.yaml';
  const loaded = await readConfigFile(path);
  if (!loaded.ok) {
    for (const problem of loaded.problems) console.error(formatConfigProblem(problem));
    console.error(
      `Belay needs a valid config file: set BELAY_CONFIG to its path (now: ${path}). examples/belay.yaml explains every option; see "Run it in your workspace" in README.md.`,
    );
    process.exit(1);
  }
  const missing = missingSecrets(loaded.config, env);
  if (missing.length > 0) {
    console.error(`Belay cannot connect to Slack yet. Set:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
    console.error(
      'README.md, "Run it in your workspace", takes you from nothing to a working bot step by step.',
    );
    process.exit(1);
  }
  const running = await startBelay({ config: loaded.config, env, environment: processEnvironment() });
  const stopGrace = loaded.config.slack?.stopGrace ?? DEFAULT_STOP_GRACE;
  const stop = async () => {
    // An action being verified is let finish (the pod's terminationGracePeriodSeconds covers it); anything
    // else gets the stop grace. Kubernetes kills the pod after its grace period anyway; leaving on our own
    // says what was cut short.
    const grace = stopGrace + (running.executionsInFlight() > 0 ? running.drainDeadlineMs : 0);
    setTimeout(() => {
      console.error(
        `Belay stopped after its ${grace} ms stop grace with work unfinished; the outbox and inbox resume it at the next start.`,
      );
      process.exit(1);
    }, grace).unref();
    await running.stop().catch((error: unknown) => console.error('Belay did not stop cleanly:', error));
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    console.error(`Belay stopped: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
