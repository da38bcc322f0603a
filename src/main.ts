#!/usr/bin/env node
// The composition root: the only file that builds concrete objects and wires them together. Everything
// else receives what it needs as parameters, so every part can be tested with real doubles.
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { BelayOptions, RunningBelay } from './boot/belay-options.ts';
import { wireExecution } from './boot/execution.ts';
import { createHealth } from './boot/health.ts';
import { wireIncidentProcessing } from './boot/incident-processing.ts';
import { startIntake } from './boot/intake.ts';
import { modelPort } from './boot/model-port.ts';
import { wirePatternRefresh } from './boot/pattern-refresh.ts';
import { wireRemediationService } from './boot/remediation-service.ts';
import { runFromProcess } from './boot/run-process.ts';
import { wireSchedules } from './boot/schedules.ts';
import { stopInOrder } from './boot/shutdown.ts';
import { wireSlackApp } from './boot/slack-app.ts';
import { wireSlackSending } from './boot/slack-sending.ts';
import { startupSecrets } from './boot/startup-secrets.ts';
import { openStores } from './boot/stores.ts';
import { composeMcpDeps, startMcpEndpoint } from './compose/compose-mcp.ts';
import { acquireLeadership, composeFacts, composeReadTools } from './compose/index.ts';
import { systemClock } from './domain/index.ts';
import { createIncidentPresenter } from './govern/incident-presenter.ts';
import { withRuleModes } from './govern/rule-record-use-cases.ts';
import { createBelayMetrics, createMetricsServer, instrumentedModelFetch, scrape } from './metrics/index.ts';
import { createFleetSizeCache, FLEET_SIZE_TTL_MS, readFleetSize } from './observe/kubernetes/index.ts';
import { createOrienter, loadPrompts } from './orient/index.ts';

export type { BelayOptions, RunningBelay };

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
  let backlog: { readonly size: number; oldestAgeMs(): number } | undefined;
  let sendQueue: { readonly pending: number } | undefined;
  // One registry for the process, never prom-client's global one: two Belays in one test process stay apart.
  const registry = new Registry();
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
  const { store, audit, writes, outbox, records } = await openStores({ config, clock, fence, metrics });
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
  const { gate, inFlight } = wireExecution({ config, clusters, store, audit, facts, clock, sleep });

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
  const { pipeline, graphRenderer } = wireIncidentProcessing({
    config,
    slack,
    store,
    audit,
    clock,
    defaultCluster: clusters.defaultCluster,
    ...(prometheus ? { history: prometheus.history } : {}),
    orienter,
    facts,
    gate: recordedGate,
    reviewDryRun: reviews.post,
    presenter,
    observeOutcomes: (alerts) => outcomes.observe(alerts),
  });

  for (const p of await gate.reconcileInterrupted()) {
    await presenter.proposalChanged(p, undefined, p.outcome?.message);
  }

  let ready = false;
  const { health, loop } = createHealth(config, registry);
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
    (stopping ??= stopInOrder(
      {
        logger,
        unready: () => {
          ready = false;
          loop.stop();
        },
        graphRenderer,
        ...(mcp ? { mcp } : {}),
        ...(patterns ? { patterns } : {}),
        intake,
        schedules,
        ...(metricsServer ? { metricsServer } : {}),
        inFlight,
        drainDeadlineMs,
        sendQueue: queue,
        slackApp,
        resumed,
        outbox,
        audit,
        leadership,
      },
      drain,
    ));
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

if (import.meta.main) {
  runFromProcess(startBelay).catch((error: unknown) => {
    console.error(`Belay stopped: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
