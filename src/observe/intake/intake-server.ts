import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Alert, Clock } from '../../domain/index.ts';
import { parseAlertmanagerWebhook } from './alertmanager-webhook.ts';
import { verifyPagerDutySignature } from './pagerduty-signature.ts';
import { type PagerDutyServiceLabels, parsePagerDutyWebhook } from './pagerduty-webhook.ts';
import { readBody } from './read-body.ts';
import { checkWebhookAuth, type WebhookAuth } from './webhook-auth.ts';
import { createWorkQueue, type WorkQueue } from './work-queue.ts';

export const MAX_BODY_BYTES = 1_048_576;

/** Remembers delivery ids; true the first time an id is seen. The state store implements it. */
export interface DeliveryLedger {
  markDelivery(source: string, id: string): boolean | Promise<boolean>;
}

/** What intake logs; pino's logger satisfies it. */
export interface IntakeLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface IntakeServerOptions {
  /** Where accepted alerts go, one call per delivery, from the queue's single worker. */
  readonly onAlerts: (alerts: Alert[]) => Promise<void> | void;
  readonly deliveries: DeliveryLedger;
  readonly clock: Clock;
  readonly logger: IntakeLogger;
  /** Absent: the endpoint answers 404, so an unconfigured source cannot be fed. */
  readonly alertmanager?: { readonly auth: WebhookAuth | readonly WebhookAuth[] };
  readonly pagerduty?: {
    readonly secrets: readonly string[];
    readonly serviceLabels?: PagerDutyServiceLabels;
  };
  readonly queueCapacity?: number;
  readonly maxBodyBytes?: number;
  /** Extra readiness (the store is open, Slack is connected); /readyz answers 503 while it is false. */
  readonly ready?: () => boolean;
  /** Serves GET /metrics when given: the Prometheus text exposition of Belay's registry. */
  readonly metrics?: () => Promise<{ readonly contentType: string; readonly body: string }>;
  /** Told what became of each webhook delivery, for metrics (source: alertmanager or pagerduty). */
  readonly onDelivery?: (source: string, result: DeliveryResult) => void;
}

export type DeliveryResult =
  | 'accepted'
  | 'duplicate'
  | 'ignored'
  | 'invalid'
  | 'unauthorized'
  | 'too_large'
  | 'busy'
  | 'rejected';

/** A delivery's result from its answer: the status, and for a 2xx the first key of the body. */
function deliveryResult(status: number, answered: string | undefined): DeliveryResult {
  if (status < 300) return answered === 'duplicate' || answered === 'ignored' ? answered : 'accepted';
  if (status === 400) return 'invalid';
  if (status === 401) return 'unauthorized';
  if (status === 413) return 'too_large';
  if (status === 503) return 'busy';
  return 'rejected';
}

export interface IntakeServer {
  readonly server: Server;
  readonly queue: WorkQueue<Alert[]>;
  listen(port: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

/**
 * Belay's webhook endpoint. It authenticates, validates and enqueues, then answers; processing happens
 * from the bounded queue. A delivery is either fully enqueued or refused with a status that tells the
 * sender whether to retry (Alertmanager and PagerDuty retry 5xx, drop 4xx).
 */
export function createIntakeServer(options: IntakeServerOptions): IntakeServer {
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const queue = createWorkQueue<Alert[]>({
    capacity: options.queueCapacity ?? 1_000,
    process: (alerts) => options.onAlerts(alerts),
    onError: (error, alerts) =>
      options.logger.error({ err: error, alerts: alerts.length }, 'processing received alerts failed'),
  });
  let listening = false;
  /** Why each refused delivery was refused, logged when the response is sent. */
  const refusals = new WeakMap<ServerResponse, string>();
  const answers = new WeakMap<ServerResponse, string>();

  const send = (res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}) => {
    if (res.headersSent) return;
    if (status >= 400 && 'error' in body) refusals.set(res, String(body.error));
    answers.set(res, Object.keys(body)[0] ?? '');
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  /** Answers and closes the connection without reading the rest of the body. */
  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, error: string) => {
    send(res, status, { error }, { connection: 'close' });
    res.once('finish', () => req.destroy());
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return send(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      const ready = listening && queue.size < queue.capacity && (options.ready?.() ?? true);
      return send(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
    }
    if (path === '/metrics' && options.metrics) {
      if (req.method !== 'GET') return send(res, 405, { error: 'use GET' }, { allow: 'GET' });
      const { contentType, body } = await options.metrics();
      res.writeHead(200, { 'content-type': contentType });
      return void res.end(body);
    }
    if (path === '/webhooks/alertmanager' && options.alertmanager) {
      if (req.method !== 'POST') return send(res, 405, { error: 'use POST' }, { allow: 'POST' });
      return alertmanager(req, res, options.alertmanager.auth);
    }
    if (path === '/webhooks/pagerduty' && options.pagerduty) {
      if (req.method !== 'POST') return send(res, 405, { error: 'use POST' }, { allow: 'POST' });
      return pagerduty(req, res, options.pagerduty.secrets, options.pagerduty.serviceLabels);
    }
    return send(res, 404, { error: `no endpoint ${path}` });
  };

  const alertmanager = async (
    req: IncomingMessage,
    res: ServerResponse,
    auth: WebhookAuth | readonly WebhookAuth[],
  ) => {
    if (!checkWebhookAuth(req.headers.authorization, auth)) {
      return refuse(
        req,
        res,
        401,
        'wrong or missing credentials; check http_config in the Alertmanager receiver',
      );
    }
    const json = await readJson(req, res);
    if (json === undefined) return;
    const parsed = parseAlertmanagerWebhook(json.value, options.clock.now());
    if (!parsed.ok) return send(res, 400, { error: `invalid Alertmanager payload: ${parsed.error}` });
    const slot = queue.reserve();
    if (!slot) return busy(res);
    slot.fill(parsed.value);
    return send(res, 200, { accepted: parsed.value.length });
  };

  const pagerduty = async (
    req: IncomingMessage,
    res: ServerResponse,
    secrets: readonly string[],
    serviceLabels: PagerDutyServiceLabels = {},
  ) => {
    const body = await readBodyOrRefuse(req, res);
    if (body === undefined) return;
    const signature = req.headers['x-pagerduty-signature'];
    if (!verifyPagerDutySignature(body, typeof signature === 'string' ? signature : undefined, secrets)) {
      return send(res, 401, { error: 'bad or missing X-PagerDuty-Signature; check the webhook secret' });
    }
    const value = parseJson(body);
    if (value === undefined) return send(res, 400, { error: 'body is not valid JSON' });
    const parsed = parsePagerDutyWebhook(value.value, options.clock.now(), serviceLabels);
    if (!parsed.ok) return send(res, 400, { error: `invalid PagerDuty payload: ${parsed.error}` });
    const webhookId = req.headers['x-webhook-id'];
    const deliveryId = typeof webhookId === 'string' && webhookId ? webhookId : parsed.value.eventId;
    if (parsed.value.kind === 'ignored') return send(res, 202, { ignored: parsed.value.reason });
    const slot = queue.reserve();
    if (!slot) return busy(res);
    let first: boolean;
    try {
      first = await options.deliveries.markDelivery('pagerduty', deliveryId);
    } catch (error) {
      slot.release();
      options.logger.error({ err: error }, 'could not record a PagerDuty delivery id');
      return send(res, 503, { error: 'could not record the delivery; retry later' });
    }
    if (!first) {
      slot.release();
      return send(res, 200, { duplicate: deliveryId });
    }
    slot.fill([parsed.value.alert]);
    return send(res, 202, { accepted: 1 });
  };

  const readBodyOrRefuse = async (req: IncomingMessage, res: ServerResponse) => {
    const result = await readBody(req, maxBody);
    if (result.kind === 'too-large') {
      refuse(req, res, 413, `body over ${maxBody} bytes; lower max_alerts on the receiver`);
      return undefined;
    }
    if (result.kind === 'aborted') {
      res.destroy();
      return undefined;
    }
    return result.body;
  };

  const readJson = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBodyOrRefuse(req, res);
    if (body === undefined) return undefined;
    const value = parseJson(body);
    if (value === undefined) send(res, 400, { error: 'body is not valid JSON' });
    return value;
  };

  const busy = (res: ServerResponse) =>
    send(res, 503, { error: 'intake queue is full; retry later' }, { 'retry-after': '5' });

  const server = createServer((req, res) => {
    res.once('finish', () => {
      const error = refusals.get(res);
      // Alertmanager drops 4xx deliveries; the operator needs to see why on Belay's side too.
      if (error && req.url?.startsWith('/webhooks/'))
        options.logger.warn({ path: req.url, status: res.statusCode, error }, 'webhook delivery refused');
      const source = req.url?.match(/^\/webhooks\/(alertmanager|pagerduty)\b/)?.[1];
      if (source) options.onDelivery?.(source, deliveryResult(res.statusCode, answers.get(res)));
    });
    handle(req, res).catch((error: unknown) => {
      options.logger.error({ err: error }, 'webhook handler failed');
      if (!res.headersSent) send(res, 500, { error: 'internal error; the delivery was not stored' });
      else res.destroy();
    });
  });
  // Slow senders must not hold sockets open forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  return {
    server,
    queue,
    listen(port, host = '0.0.0.0') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          listening = true;
          resolve(server.address() as AddressInfo);
        });
      });
    },
    close() {
      listening = false;
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function parseJson(body: Buffer): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(body.toString('utf8')) };
  } catch {
    return undefined;
  }
}
