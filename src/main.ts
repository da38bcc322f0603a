#!/usr/bin/env node
// The composition root: the only file that builds concrete objects and wires them together. Everything
// else receives what it needs as parameters, so every part can be tested with real doubles.
import { join } from 'node:path';
import { webApi } from '@slack/bolt';
import { pino } from 'pino';
import { createExecutor, executorSettingsFrom } from './act/index.ts';
import { acquireLeadership, composeFacts } from './compose/index.ts';
import {
  type Config,
  type Env,
  formatConfigProblem,
  missingSecrets,
  processEnvironment,
  readConfigFile,
  readProcessEnv,
} from './config/index.ts';
import { intakeSecrets } from './config/sections/intake.ts';
import { lokiTokenFromEnv } from './config/sections/loki.ts';
import { prometheusTokenFromEnv } from './config/sections/prometheus.ts';
import { type Clock, systemClock } from './domain/index.ts';
import { createExecutionGate } from './govern/execution-gate.ts';
import { createInFlight } from './govern/in-flight.ts';
import { createIncidentPipeline } from './govern/incident-pipeline.ts';
import { createIncidentPresenter } from './govern/incident-presenter.ts';
import { createRemediationService } from './govern/remediation-service.ts';
import { startSchedules } from './govern/schedules.ts';
import type { Notifier } from './govern/service.ts';
import { createAuditLog, createStateStore } from './govern/store/index.ts';
import type { KubeConfigLoader } from './kube/index.ts';
import { createCorrelator } from './observe/correlate/index.ts';
import {
  createIntakeServer,
  createPagerDutyIncidentReader,
  parseSlackAlertMessage,
} from './observe/intake/index.ts';
import { createKubernetesReadTools } from './observe/kubernetes/index.ts';
import { createLokiReads } from './observe/loki/index.ts';
import {
  createDailyTokenBudget,
  createOpenAIClient,
  createOrienter,
  loadPrompts,
  type ModelPort,
  redact,
} from './orient/index.ts';
import {
  callSlack,
  createSendQueue,
  createSlackApp,
  createSlackNotifier,
  createUserGroupResolver,
  edgeLoggerFromPino,
  weeklyDigestMessage,
} from './slack/index.ts';

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
  readonly ports?: { readonly intake?: number; readonly slack?: number };
  readonly slackRetryConfig?: webApi.RetryOptions;
  /** This instance's name in the Lease (default host_uuid); tests run two with known names. */
  readonly leaderIdentity?: string;
  /** What happens after a lost lease or lock has stopped everything; default: exit 1 for a restart. */
  readonly onLeadershipLost?: (reason: string) => void;
}

export interface RunningBelay {
  readonly intakePort: number;
  readonly slackPort?: number;
  stop(): Promise<void>;
}

export async function startBelay(options: BelayOptions): Promise<RunningBelay> {
  const { config, env } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: env.logLevel });
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const slack = config.slack;
  const botToken = env.slack.botToken;
  if (!slack || !botToken)
    throw new Error(`Belay cannot start: missing ${missingSecrets(config, env).join('; ')}`);
  const secrets = intakeSecrets(config.intake, options.environment);
  if (!secrets.ok)
    throw new Error(`Belay cannot start: set ${secrets.missing.join(', ')} (named in the intake section)`);

  const promToken = config.prometheus
    ? prometheusTokenFromEnv(config.prometheus, options.environment)
    : { ok: true as const };
  if (!promToken.ok)
    throw new Error(`Belay cannot start: set ${promToken.missing} (named by prometheus.bearerTokenEnv)`);
  const lokiToken = config.loki ? lokiTokenFromEnv(config.loki, options.environment) : { ok: true as const };
  if (!lokiToken.ok)
    throw new Error(`Belay cannot start: set ${lokiToken.missing} (named by loki.bearerTokenEnv)`);

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
  const store = await createStateStore({ dir: config.store.dir, clock, fence });
  const audit = await createAuditLog({ dir: join(config.store.dir, 'audit'), clock, fence });

  const { clusters, prometheus, configWindows, facts } = composeFacts({
    config,
    clock,
    state: store,
    ...(options.kubeConfigLoader ? { kubeConfigLoader: options.kubeConfigLoader } : {}),
    ...(promToken.token ? { prometheusToken: promToken.token } : {}),
    ...(secrets.pagerdutyApiToken ? { pagerdutyApiToken: secrets.pagerdutyApiToken } : {}),
  });
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

  // Slack: one send queue for every message, so a channel's messages keep their order through 429s.
  const edgeLogger = edgeLoggerFromPino(logger.child({ part: 'slack' }));
  const queue = createSendQueue({ logger: edgeLogger });
  const client = new webApi.WebClient(botToken, {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    ...(options.slackRetryConfig ? { retryConfig: options.slackRetryConfig } : {}),
  });
  const notifier: Notifier = createSlackNotifier({
    client,
    queue,
    clock,
    incidentChannel: slack.incidentChannel,
    refs: {
      get: async (id) => store.getIncident(id)?.slackMessage,
      set: async (id, ref) => {
        const incident = store.getIncident(id);
        if (incident) await store.putIncident({ ...incident, slackMessage: ref });
      },
    },
  });
  const presenter = createIncidentPresenter({ store, audit, notifier });
  // Group lookups run inside a click: their own client retries once instead of Bolt's half hour of retries.
  // Every group the policy names: approvers, operators and security (who may flip the switches).
  const approverGroups = [
    ...new Set([
      ...config.namespaceClasses.flatMap((c) => c.approvers.groups),
      ...config.operators.groups,
      ...(config.operators.security?.groups ?? []),
    ]),
  ];
  const groups = createUserGroupResolver({
    client: new webApi.WebClient(botToken, {
      ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
      retryConfig: options.slackRetryConfig ?? { retries: 1 },
    }),
    ttlMs: slack.approverGroupTtl,
    clock,
    groups: approverGroups,
    logger: edgeLogger,
  });
  const service = createRemediationService({
    policy: config,
    store,
    audit,
    gate,
    facts,
    presenter,
    clock,
    groupsOf: groups.groupsOf,
    calendar: () => configWindows,
  });

  const tools = [
    ...createKubernetesReadTools({ readerFor: clusters.readerFor, clock, redact }),
    ...(prometheus ? [prometheus.tool] : []),
    // Logs that outlive their pod; only when a Loki is configured.
    ...(config.loki
      ? [
          createLokiReads({
            section: config.loki,
            ...(lokiToken.token ? { token: lokiToken.token } : {}),
            defaultCluster: clusters.defaultCluster,
            clock,
            redact,
          }).tool,
        ]
      : []),
  ];
  const orienter = createOrienter({
    tools,
    prompts: await loadPrompts(),
    clock,
    ...(config.llm ? { threadTurns: config.llm.threadTurns } : {}),
    ...modelPort(config, env),
  });
  const correlator = createCorrelator({
    store,
    clock,
    defaultCluster: clusters.defaultCluster,
    staleAfterMs: config.intake.correlation.staleAfter,
    stormWorkloads: config.intake.correlation.stormWorkloads,
    stormWindowMs: config.intake.correlation.stormWindow,
  });
  const pipeline = createIncidentPipeline({
    policy: config,
    store,
    audit,
    correlate: (alerts) => correlator.ingest(alerts),
    orient: (input) => orienter.orient(input),
    answer: (input) => orienter.answerQuestion(input),
    facts,
    gate,
    presenter,
    clock,
    autoRevertOnFailedVerification: config.autoRevertOnFailedVerification,
    dryRunLines: slack.dryRunLines,
  });

  for (const p of await gate.reconcileInterrupted()) {
    await presenter.proposalChanged(p, undefined, p.outcome?.message);
  }

  let ready = false;
  const intakeLogger = logger.child({ part: 'intake' });
  const intake = createIntakeServer({
    onAlerts: (alerts) => pipeline.handleAlerts(alerts),
    deliveries: store,
    clock,
    logger: {
      warn: (obj, msg) => intakeLogger.warn(obj, msg),
      error: (obj, msg) => intakeLogger.error(obj, msg),
    },
    ...(secrets.alertmanagerAuth ? { alertmanager: { auth: secrets.alertmanagerAuth } } : {}),
    ...(config.intake.pagerduty
      ? {
          pagerduty: {
            secrets: secrets.pagerdutySecrets,
            serviceLabels: config.intake.pagerduty.serviceLabels,
          },
        }
      : {}),
    queueCapacity: config.intake.queueCapacity,
    ready: () => ready,
  });
  const intakeAddress = await intake.listen(options.ports?.intake ?? config.intake.port, config.intake.host);

  const pagerduty = secrets.pagerdutyApiToken
    ? createPagerDutyIncidentReader({
        token: secrets.pagerdutyApiToken,
        ...(config.intake.pagerduty?.apiUrl ? { baseUrl: config.intake.pagerduty.apiUrl } : {}),
        ...(config.intake.pagerduty?.serviceLabels
          ? { serviceLabels: config.intake.pagerduty.serviceLabels }
          : {}),
      })
    : undefined;
  const slackApp = createSlackApp({
    mode: slack.mode,
    tokens: {
      botToken,
      ...(env.slack.appToken ? { appToken: env.slack.appToken } : {}),
      ...(env.slack.signingSecret ? { signingSecret: env.slack.signingSecret } : {}),
    },
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    service,
    onChannelMessage: async (message) => {
      const parsed = parseSlackAlertMessage(message, config.intake.slack.sources, clock.now());
      if (parsed.kind !== 'alerts') return;
      // A PagerDuty app message names an incident; its details (service, and so its target) come from the API.
      const alerts = [];
      for (const alert of parsed.alerts) {
        if (!pagerduty || parsed.source.kind !== 'pagerduty') {
          alerts.push(alert);
          continue;
        }
        const enriched = await pagerduty.enrich(alert);
        if (enriched.problem)
          logger.warn({ problem: enriched.problem }, 'PagerDuty incident details unavailable');
        alerts.push(enriched.alert);
      }
      await pipeline.handleAlerts(alerts);
    },
    onThreadQuestion: (question) => pipeline.answerQuestion(question),
    replyWithoutMention: slack.replyWithoutMention,
    logger: edgeLogger,
    clock,
    queue,
    ...(options.slackRetryConfig ? { retryConfig: options.slackRetryConfig } : {}),
  });
  const schedules = startSchedules({
    store,
    audit,
    clock,
    retention: {
      ledgerMs: Math.max(3_600_000, ...config.rateLimits.map((l) => l.window)),
      historyMs: config.store.retention,
    },
    onExpired: (p) =>
      presenter.proposalChanged(
        p,
        undefined,
        'Expired: nobody decided in time, so nothing was run. Ask again if it is still needed.',
      ),
    onError: (job, error) => logger.error({ err: error, job }, 'a scheduled job failed'),
    ...(slack.digest
      ? {
          digest: {
            schedule: slack.digest.schedule,
            timezone: slack.digest.timezone,
            post: async (digest) => {
              const channel = slack.digest?.channel ?? slack.incidentChannel;
              await queue.send(channel, () =>
                callSlack(client, 'chat.postMessage', { channel, ...weeklyDigestMessage(digest) }),
              );
            },
          },
        }
      : {}),
  });
  const started = await slackApp.start(options.ports?.slack ?? slack.port);
  ready = true;
  logger.info({ intake: intakeAddress.port, slack: started.port ?? slack.mode }, 'Belay is running');

  // Below the pod's terminationGracePeriodSeconds (deploy/deployment.yaml), above a verification.
  const drainDeadlineMs = config.kubernetes.verification.timeout + 30_000;
  let stopping: Promise<void> | undefined;
  const stopAll = (drain: boolean) =>
    (stopping ??= (async () => {
      ready = false;
      // No new alerts, no new ticks; let executions in flight finish (unless the lease is gone, and with
      // it the right to write); then no more retries against a Slack we are leaving; then disconnect.
      await Promise.allSettled([intake.close(), schedules.stop()]);
      const drained = await inFlight.drain(drain ? drainDeadlineMs : 0);
      if (!drained.finished)
        logger.error(
          { part: 'shutdown', left: drained.left },
          'stopping with executions still running: look at their proposals after the restart',
        );
      queue.close();
      await slackApp.stop();
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
    intakePort: intakeAddress.port,
    ...(started.port !== undefined ? { slackPort: started.port } : {}),
    stop: () => stopAll(true),
  };
}

/** The model, when one is configured and has its key; otherwise Belay orients with its rules alone. */
function modelPort(config: Config, env: Env): { model?: ModelPort } {
  const llm = config.llm;
  if (!llm?.enabled) return {};
  const client = createOpenAIClient({
    baseURL: llm.baseURL,
    apiKey: env.openai.apiKey ?? 'not-needed',
    requestTimeoutMs: llm.requestTimeout,
    maxRetries: llm.maxRetries,
  });
  return {
    model: {
      client,
      model: llm.model,
      requestTimeoutMs: llm.requestTimeout,
      maxRetries: llm.maxRetries,
      budgets: llm.budgets,
      daily: createDailyTokenBudget(llm.budgets.dailyTokens),
    },
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
  const stop = async () => {
    await running.stop();
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
