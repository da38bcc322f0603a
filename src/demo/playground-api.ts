import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AlertPanel, Scenario } from './alert-panel.ts';
import { SCENARIOS } from './alert-panel.ts';
import { type DemoClock, nextTimeOfDay } from './demo-clock.ts';
import type { KubeApiServer } from './kube/kube-api-server.ts';
import { INCIDENTS, PEOPLE } from './playground-config.ts';
import type { SlackChannels } from './slack/slack-channel.ts';
import type { SlackPlatform } from './slack/slack-platform.ts';
import { readBody } from './slack/slack-web-api.ts';
import { clusterSummary, syncBackupJobs } from './story-cluster.ts';

export interface PlaygroundApiDeps {
  readonly channels: SlackChannels;
  readonly platform: SlackPlatform;
  readonly panel: AlertPanel;
  readonly clock: DemoClock;
  readonly kube: KubeApiServer;
  readonly botUserId: string;
}

/** A request the page sent that cannot be carried out: answered 400 with what to do instead. */
class BadRequest extends Error {}

/**
 * The page's own endpoints under /demo/: the channel and the cluster as they are now, and the person's
 * clicks, commands, alerts and clock moves. Clicks and commands go on to Belay as Slack sends them.
 */
export function createPlaygroundApi(deps: PlaygroundApiDeps) {
  const { channels, clock } = deps;

  function state() {
    return {
      now: clock.now().toISOString(),
      channel: INCIDENTS,
      people: PEOPLE,
      bot: deps.botUserId,
      version: channels.version,
      messages: channels.list(INCIDENTS),
      scenarios: SCENARIOS,
      fired: deps.panel.log(),
      cluster: clusterSummary(deps.kube),
    };
  }

  async function post(path: string, body: Record<string, unknown>): Promise<unknown> {
    const text = (key: string) => {
      const value = body[key];
      if (typeof value !== 'string' || value === '')
        throw new BadRequest(`"${key}" is missing: send it as text`);
      return value;
    };
    switch (path) {
      case '/demo/click':
        return deps.platform.click({
          channel: INCIDENTS,
          messageTs: text('messageTs'),
          actionId: text('actionId'),
          user: text('user'),
        });
      case '/demo/command':
        return deps.platform.command({
          channel: INCIDENTS,
          text: typeof body.text === 'string' ? body.text : '',
          user: text('user'),
        });
      case '/demo/alerts': {
        const scenario = text('scenario');
        if (!(scenario in SCENARIOS))
          throw new BadRequest(`no scenario "${scenario}"; pick one of ${Object.keys(SCENARIOS).join(', ')}`);
        const entry = await deps.panel.fire(scenario as Scenario);
        return entry.status === 200
          ? { ok: true, entry }
          : {
              ok: false,
              error: `Belay's intake answered ${entry.status}; the log of the demo says why`,
              entry,
            };
      }
      case '/demo/clock': {
        let at: Date;
        try {
          at = typeof body.time === 'string' ? nextTimeOfDay(clock, body.time) : new Date(text('at'));
          clock.moveTo(at);
        } catch (error) {
          if (error instanceof BadRequest) throw error;
          throw new BadRequest(error instanceof Error ? error.message : String(error));
        }
        syncBackupJobs(deps.kube, clock.now());
        return { ok: true, now: clock.now().toISOString() };
      }
      default:
        return undefined;
    }
  }

  /** Serves /demo/…; false when the path is not one of its own. */
  return async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const send = (status: number, payload: unknown) =>
      res
        .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(payload));
    if (req.method === 'GET' && path === '/demo/state') {
      send(200, state());
      return true;
    }
    if (req.method !== 'POST' || !path.startsWith('/demo/')) return false;
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse((await readBody(req)) || '{}');
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      send(400, { ok: false, error: 'the request body is not a JSON object; nothing changed' });
      return true;
    }
    try {
      const result = await post(path, body);
      if (result === undefined) return false;
      send(200, result);
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      send(400, { ok: false, error: `${error.message}; nothing changed` });
    }
    return true;
  };
}
