import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { EXECUTOR_CALLS } from '../act/index.ts';
import type { LogLevel } from '../config/index.ts';
import { READER_PERMISSIONS } from '../kube/index.ts';
import { type RunningBelay, startBelay } from '../main.ts';
import { type AlertPanel, createAlertPanel } from './alert-panel.ts';
import { createDemoClock, type DemoClock } from './demo-clock.ts';
import { KubeApiServer } from './kube/kube-api-server.ts';
import { closeNow, listenOnLoopback } from './loopback.ts';
import { createPageServer } from './page-server.ts';
import { createPlaygroundApi } from './playground-api.ts';
import { AM_TOKEN_ENV, PEOPLE, playgroundConfig } from './playground-config.ts';
import { type FakePrometheus, startFakePrometheus } from './prometheus-server.ts';
import { SlackChannels } from './slack/slack-channel.ts';
import { SlackFiles } from './slack/slack-files.ts';
import { createSlackPlatform } from './slack/slack-platform.ts';
import { createSlackWebApi, type ResponseTarget } from './slack/slack-web-api.ts';
import { seedStoryCluster } from './story-cluster.ts';

export interface PlaygroundOptions {
  /** The page's port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Where the demo clock starts; default: now. */
  readonly start?: Date;
  /** An OpenAI-compatible endpoint to investigate with; without it, Belay's deterministic orienter. */
  readonly model?: { readonly baseURL: string; readonly model: string; readonly apiKey?: string };
  readonly logLevel?: LogLevel;
}

export interface Playground {
  /** The page: http://127.0.0.1:PORT/ */
  readonly url: string;
  readonly clock: DemoClock;
  readonly kube: KubeApiServer;
  readonly prometheus: FakePrometheus;
  readonly channels: SlackChannels;
  readonly panel: AlertPanel;
  readonly belay: RunningBelay;
  /** The temporary directory holding Belay's store and the kubeconfig; removed by stop(). */
  readonly dir: string;
  /** The Slack Web API's base URL and Belay's bot token there, for whatever else should post as Belay. */
  readonly slackApi: { readonly url: string; readonly botToken: string };
  stop(): Promise<void>;
}

const BOT_USER = 'UBELAY0001';

/**
 * `npm run demo`: Belay's real composition root (startBelay) against an embedded cluster, Prometheus and
 * Slack on 127.0.0.1, with a page that shows the incident channel and fires alerts. Secrets are made up
 * here and never leave the process; the store lives in a temporary directory.
 */
export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const clock = createDemoClock(options.start ?? new Date());
  const secret = () => randomBytes(16).toString('hex');
  const [botToken, signingSecret, amToken] = [`xoxb-demo-${secret()}`, secret(), secret()];
  const tokens = { reader: `reader-${secret()}`, writer: `writer-${secret()}` };
  const opened: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const close of opened.reverse()) await close().catch(() => undefined);
  };
  try {
    // The cluster gives Belay's two identities exactly what deploy/ grants them: the reader only reads.
    const kube = await KubeApiServer.start({
      clock,
      tokens: {
        [tokens.reader]: {
          user: 'system:serviceaccount:belay:belay-reader',
          grants: [...READER_PERMISSIONS],
        },
        [tokens.writer]: {
          user: 'system:serviceaccount:belay:belay-writer',
          grants: Object.values(EXECUTOR_CALLS).flat(),
        },
      },
    });
    opened.push(() => kube.close());
    seedStoryCluster(kube, clock);
    const prometheus = await startFakePrometheus();
    opened.push(() => prometheus.close());
    const dir = await mkdtemp(join(tmpdir(), 'belay-demo-'));
    opened.push(() => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }));
    const kubeconfigPath = join(dir, 'kubeconfig.yaml');
    await writeFile(
      kubeconfigPath,
      kube.kubeconfigYaml({ 'belay-reader': tokens.reader, 'belay-writer': tokens.writer }),
      {
        mode: 0o600,
      },
    );

    const channels = new SlackChannels(clock);
    const responses = new Map<string, ResponseTarget>();
    let api: ReturnType<typeof createPlaygroundApi> | undefined;
    let baseUrl = '';
    const slackApi = createSlackWebApi({
      files: new SlackFiles(),
      baseUrl: () => baseUrl,
      channels,
      botToken,
      botUserId: BOT_USER,
      botId: 'BBELAY0001',
      people: PEOPLE,
      groups: {},
      responses,
    });
    // The page's own endpoints (/demo/) answer once Belay runs; Belay needs the Slack API up to start.
    const server = await createPageServer(() => [
      { prefix: '/api/', handle: slackApi },
      { prefix: '/response/', handle: slackApi },
      { prefix: '/upload/', handle: slackApi },
      { prefix: '/files/', handle: slackApi },
      ...(api ? [{ prefix: '/demo/', handle: api }] : []),
    ]);
    const { url } = await listenOnLoopback(server, options.port ?? 0);
    baseUrl = url;
    opened.push(() => closeNow(server));

    const config = playgroundConfig({
      storeDir: join(dir, 'store'),
      kubeconfigPath,
      prometheusUrl: prometheus.url,
      slackApiUrl: `${url}/api/`,
      ...(options.model ? { model: { baseURL: options.model.baseURL, model: options.model.model } } : {}),
    });
    const logLevel = options.logLevel ?? 'warn';
    const belay = await startBelay({
      config,
      env: {
        logLevel,
        slack: { botToken, signingSecret },
        openai: options.model?.apiKey ? { apiKey: options.model.apiKey } : {},
      },
      environment: { [AM_TOKEN_ENV]: amToken },
      clock,
      logger: pino({ level: logLevel }),
      sleep: (ms) => clock.sleep(ms),
      ports: { intake: 0, slack: 0, metrics: 0, mcp: 0 },
      // Not the process exit of `npm start`: the demo keeps its page up and says what happened.
      onLeadershipLost: (reason) =>
        console.error(`Belay stopped: it lost the lock on its store (${reason}). Restart the demo.`),
    });
    opened.push(() => belay.stop());
    const panel = createAlertPanel({
      kube,
      prometheus,
      clock,
      intakeUrl: () => `http://127.0.0.1:${belay.intakePort}`,
      token: amToken,
    });
    const platform = createSlackPlatform({
      channels,
      signingSecret,
      eventsUrl: () => `http://127.0.0.1:${belay.slackPort}/slack/events`,
      responseBase: () => url,
      responses,
      people: PEOPLE,
      botUserId: BOT_USER,
    });
    api = createPlaygroundApi({ channels, platform, panel, clock, kube, botUserId: BOT_USER });
    return {
      url: `${url}/`,
      clock,
      kube,
      prometheus,
      channels,
      panel,
      belay,
      dir,
      slackApi: { url: `${url}/api/`, botToken },
      stop: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
