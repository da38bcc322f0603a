import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './free-port.ts';

export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';

export interface AlertmanagerFakeOptions {
  /** Belay's webhook URL, reached with `Authorization: Bearer <bearerToken>`. */
  readonly webhookUrl: string;
  readonly bearerToken: string;
  /** When set, alerts are also posted to this Slack-compatible URL with Belay's recommended template. */
  readonly slack?: { readonly url: string; readonly template: string };
}

export interface RunningAlertmanager {
  readonly url: string;
  postAlerts(alerts: readonly PostableAlert[]): Promise<void>;
  createSilence(silence: {
    matchers: { name: string; value: string; isRegex: boolean; isEqual?: boolean }[];
    startsAt: string;
    endsAt: string;
    createdBy: string;
    comment: string;
  }): Promise<string>;
  stop(): Promise<void>;
}

export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
}

/**
 * The real Alertmanager (Debian's prometheus-alertmanager) on free 127.0.0.1 ports with a temporary
 * config and storage, grouping every second so a test sees notifications quickly. HA gossip is off.
 */
export async function startAlertmanager(options: AlertmanagerFakeOptions): Promise<RunningAlertmanager> {
  const dir = await mkdtemp(join(tmpdir(), 'belay-am-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const receivers: object[] = [
    {
      name: 'belay',
      webhook_configs: [
        {
          url: options.webhookUrl,
          send_resolved: true,
          http_config: { authorization: { type: 'Bearer', credentials: options.bearerToken } },
        },
      ],
    },
  ];
  const routes: object[] = [];
  const templates: string[] = [];
  if (options.slack) {
    await writeFile(join(dir, 'belay.tmpl'), options.slack.template);
    templates.push(join(dir, 'belay.tmpl'));
    receivers.push({
      name: 'slack',
      slack_configs: [
        {
          api_url: options.slack.url,
          channel: '#alerts',
          send_resolved: true,
          title: '{{ template "slack.default.title" . }}',
          text: '{{ template "belay.slack.text" . }}',
        },
      ],
    });
    routes.push({ receiver: 'belay', continue: true }, { receiver: 'slack' });
  }
  const config = {
    global: { resolve_timeout: '5m' },
    route: {
      receiver: 'belay',
      group_by: ['alertname', 'namespace'],
      group_wait: '200ms',
      group_interval: '1s',
      repeat_interval: '1h',
      ...(routes.length ? { routes } : {}),
    },
    receivers,
    ...(templates.length ? { templates } : {}),
  };
  await writeFile(join(dir, 'alertmanager.yml'), stringify(config));
  const child = spawn(
    ALERTMANAGER_BIN,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      `--web.external-url=${url}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child);
  } catch (error) {
    await stop();
    throw new Error(`Alertmanager did not start: ${(error as Error).message}\n${stderr}`);
  }

  return {
    url,
    async postAlerts(alerts) {
      const response = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      if (!response.ok) throw new Error(`POST /api/v2/alerts: ${response.status} ${await response.text()}`);
      await response.body?.cancel();
    },
    async createSilence(silence) {
      const response = await fetch(`${url}/api/v2/silences`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(silence),
      });
      const body = (await response.json()) as { silenceID?: string };
      if (!response.ok || !body.silenceID) throw new Error(`POST /api/v2/silences: ${response.status}`);
      return body.silenceID;
    },
    stop,
  };
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/-/ready`);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('not ready within 15 s');
}
