import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { EXECUTOR_CALLS } from '../../src/act/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { alertmanagerWebhookBody, postToAlertmanagerReceiver } from '../../src/demo/alertmanager-webhook.ts';
import { READER_PERMISSIONS } from '../../src/kube/index.ts';
import { type RunningBelay, startBelay } from '../../src/main.ts';
import { type FakeClock, fakeClock } from '../fakes/fake-clock.ts';
import { FakeKubeApi } from '../fakes/kube-api-server.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack-api-server.ts';
import type { FakeSocketMode } from '../fakes/slack-socket-mode.ts';
import { blockActionsPayload, slashCommandFields } from '../support/slack-payloads.ts';
import { postSignedForm } from '../support/slack-signing.ts';

export const SIGNING_SECRET = 'e2e-signing-secret';
export const AM_TOKEN = 'e2e-alertmanager-token';
export const INCIDENTS = 'C0INCIDENT1';

/** The rules every world has unless a test replaces them (`WorldOptions.rules`). */
export const DEFAULT_RULES = `
  - name: crashloop-restart
    action: restart-pod
    mode: suggest
    when:
      alert: { name: KubePodCrashLooping }`;

/** A policy as an operator would write it: staging needs its on-call engineers, databases its DBA. */
export function configText(
  storeDir: string,
  extra = '',
  extraRules = '',
  extraIntake = '',
  rules = DEFAULT_RULES,
): string {
  return `
version: 1
namespaceClasses:
  - name: production-critical
    critical: true
    namespaces: [databases]
    approvers: { users: [U0DBA0001], groups: [S0DBAS001] }
  - name: staging
    namespaces: [staging]
    approvers: { users: [U0SRE0001, U0SRE0002] }
defaultNamespaceClass: staging
operators: { users: [U0SRE0001, U0SEC0001], security: { groups: [S0SECURE1] } }
rules:${rules}
${extraRules}
store: { dir: ${JSON.stringify(storeDir)} }
intake:
  port: 8080
  host: 127.0.0.1
  alertmanager:
    auth:
      bearer: { tokenEnv: E2E_AM_TOKEN }
${extraIntake}
kubernetes:
  clusters:
    - name: default
      kubeconfig: fake-kubeconfig.yaml
      context: reader
      write: { kubeconfig: fake-kubeconfig.yaml, context: writer }
  verification: { timeout: 2m, pollInterval: 2s }
slack:
  mode: http
  incidentChannel: ${INCIDENTS}
${extra}`;
}

export interface World {
  readonly kube: FakeKubeApi;
  readonly slack: FakeSlackApi;
  readonly clock: FakeClock;
  readonly belay: RunningBelay;
  readonly storeDir: string;
  readonly slackUrl: string;
  readonly intakeUrl: string;
  /** Stops Belay and starts it again on the same store, cluster and Slack: what a restart keeps. */
  restart(): Promise<World>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Replaces DEFAULT_RULES (YAML list items under `rules:`); `[]`-like empty string for none. */
  readonly rules?: string;
  /** Lines under `intake:`, indented two spaces (calendars, pagerduty…). */
  readonly extraIntake?: string;
  /** Where Belay logs; silent by default. */
  readonly logger?: pino.Logger;
  /** Edits the config text before it is loaded, for settings inside a section startWorld writes. */
  readonly editConfig?: (text: string) => string;
  /** More variables for the secrets the config names (an MCP client's token). */
  readonly environment?: Readonly<Record<string, string>>;
  /** Slack in Socket Mode over this fake socket, instead of HTTP mode. */
  readonly socketMode?: FakeSocketMode;
}

/** Belay through its real composition root, against a fake cluster and a fake Slack, on 127.0.0.1. */
export async function startWorld(
  extraConfig = '',
  extraRules = '',
  startAt = new Date(),
  options: WorldOptions = {},
): Promise<World> {
  const clock = fakeClock(startAt.toISOString());
  const kube = await FakeKubeApi.start({
    clock,
    tokens: {
      admin: { user: 'admin', grants: 'all' },
      // The two identities get exactly what deploy/ grants them: the reader can only read.
      reader: { user: 'system:serviceaccount:belay:belay-reader', grants: [...READER_PERMISSIONS] },
      writer: {
        user: 'system:serviceaccount:belay:belay-writer',
        grants: Object.values(EXECUTOR_CALLS).flat(),
      },
    },
  });
  const slack = await startFakeSlackApi(
    options.socketMode ? { socketMode: options.socketMode, appToken: 'xapp-e2e-token' } : {},
  );
  const storeDir = await mkdtemp(join(tmpdir(), 'belay-e2e-'));
  const text = configText(
    storeDir,
    extraConfig,
    extraRules,
    options.extraIntake ?? '',
    options.rules ?? DEFAULT_RULES,
  ).replace(
    'slack:\n  mode: http',
    `slack:\n  mode: ${options.socketMode ? 'socket' : 'http'}\n  apiUrl: ${slack.apiUrl}`,
  );
  const loaded = loadConfig(options.editConfig ? options.editConfig(text) : text, 'e2e.yaml');
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  const boot = () =>
    startBelay({
      config: loaded.config,
      env: {
        logLevel: 'silent',
        slack: {
          botToken: 'xoxb-test-token',
          signingSecret: SIGNING_SECRET,
          ...(options.socketMode ? { appToken: 'xapp-e2e-token' } : {}),
        },
        openai: {},
      },
      environment: { E2E_AM_TOKEN: AM_TOKEN, ...(options.environment ?? {}) },
      clock,
      logger: options.logger ?? pino({ level: 'silent' }),
      // Reads and writes reach the fake API server under two identities, as deploy/ sets them up.
      kubeConfigLoader: (identity) => kube.kubeConfig(identity.context === 'writer' ? 'writer' : 'reader'),
      sleep: (ms) => clock.sleep(ms),
      ports: { intake: 0, slack: 0, metrics: 0, mcp: 0 },
      slackRetryConfig: { retries: 0 },
    });
  const world = (belay: RunningBelay): World => ({
    kube,
    slack,
    clock,
    belay,
    storeDir,
    slackUrl: `http://127.0.0.1:${belay.slackPort}/slack/events`,
    intakeUrl: `http://127.0.0.1:${belay.intakePort}`,
    async restart() {
      await belay.stop();
      return world(await boot());
    },
    async close() {
      await belay.stop();
      await slack.close();
      await kube.close();
      // Retried: a write the stop let finish can still be landing in the store as the directory goes.
      await rm(storeDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    },
  });
  return world(await boot());
}

/** The proposal id carried by a button of the last incident message posted or updated (that mentions `about`). */
export function buttonValue(world: World, actionId: string, about?: RegExp): string | undefined {
  for (const call of [...world.slack.calls].reverse()) {
    if (call.method !== 'chat.postMessage' && call.method !== 'chat.update') continue;
    if (about && !about.test(JSON.stringify(call.body))) continue;
    for (const block of (call.body.blocks as { elements?: { action_id?: string; value?: string }[] }[]) ??
      []) {
      const button = block.elements?.find((e) => e.action_id === actionId);
      if (button?.value) return button.value;
    }
  }
  return undefined;
}

let clicks = 0;

/** A click on a button of the incident message, signed as Slack signs it. */
export function click(world: World, actionId: string, proposalId: string, user: string) {
  const id = `click-${++clicks}`;
  const payload = blockActionsPayload({
    actionId,
    value: proposalId,
    user,
    channel: INCIDENTS,
    messageTs: '1.000100',
    responseUrl: world.slack.responseUrl(id),
    nth: clicks,
  });
  return {
    responseMethod: `response_url:${id}`,
    send: () =>
      postSignedForm(world.slackUrl, { payload: JSON.stringify(payload) }, { signingSecret: SIGNING_SECRET }),
  };
}

/** `/remediate <text>` typed by `user` in the incidents channel, signed as Slack signs it. */
export function slash(world: World, text: string, user: string) {
  const id = `cmd-${++clicks}`;
  return {
    responseMethod: `response_url:${id}`,
    send: () =>
      postSignedForm(
        world.slackUrl,
        slashCommandFields({ text, user, channel: INCIDENTS, responseUrl: world.slack.responseUrl(id) }),
        { signingSecret: SIGNING_SECRET },
      ),
  };
}

/** Waits until `check` holds, polling; real I/O (Alertmanager, HTTP) sets the pace, not a fixed sleep. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Every text Belay sent to Slack (messages, updates, responses), for assertions on what people read. */
export function everythingSaid(world: World): string {
  return world.slack.calls.map((c) => JSON.stringify(c.body)).join('\n');
}

/** One alert delivered to Belay's intake exactly as Alertmanager's webhook sends it, with the bearer token. */
export async function deliverAlert(
  world: World,
  alert: {
    name: string;
    labels: Record<string, string>;
    startsAt: Date;
    fingerprint: string;
    status?: 'firing' | 'resolved';
  },
): Promise<Response> {
  return postToAlertmanagerReceiver(
    world.intakeUrl,
    AM_TOKEN,
    alertmanagerWebhookBody(alert.name, [{ ...alert, labels: alert.labels }]),
  );
}
