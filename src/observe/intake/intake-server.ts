import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Alert } from '../../domain/index.ts';
import { createHealthRegistry } from '../../health/index.ts';
import { parseAlertmanagerWebhook } from './alertmanager-webhook.ts';
import { DEFAULT_MAX_BACKLOG_AGE_MS, registerIntakeChecks } from './intake-checks.ts';
import type { Delivery, DeliveryResult, IntakeServerOptions } from './intake-options.ts';
import { verifyPagerDutySignature } from './pagerduty-signature.ts';
import {
  DEFAULT_PAGERDUTY_MAX_EVENT_AGE_MS,
  parsePagerDutyWebhook,
  staleEventError,
} from './pagerduty-webhook.ts';
import { readBody } from './read-body.ts';
import { checkWebhookAuth, type WebhookAuth } from './webhook-auth.ts';
import { createWorkQueue, type WorkQueue } from './work-queue.ts';

export const MAX_BODY_BYTES = 1_048_576;
export const DEFAULT_DELIVERY_CONCURRENCY = 4;

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
  readonly queue: WorkQueue<Delivery>;
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
  const { inbox } = options;
  const queue = createWorkQueue<Delivery>({
    capacity: options.queueCapacity ?? 1_000,
    concurrency: options.deliveryConcurrency ?? DEFAULT_DELIVERY_CONCURRENCY,
    process: async (delivery) => {
      if (delivery.alerts.length > 0) await options.onAlerts([...delivery.alerts]);
      // Only after success: a delivery whose processing failed stays in the inbox for the next start-up.
      if (inbox && delivery.seq !== undefined) await inbox.processed(delivery.seq);
    },
    onError: (error, delivery) =>
      options.logger.error(
        { err: error, alerts: delivery.alerts.length, seq: delivery.seq },
        'processing received alerts failed',
      ),
  });
  // What was acknowledged before the last stop goes first; it was accepted once, so capacity does not apply.
  for (const entry of inbox?.pending ?? []) queue.push({ alerts: entry.alerts, seq: entry.seq });
  let listening = false;
  const health = options.health ?? createHealthRegistry();
  registerIntakeChecks(health, {
    queue,
    inbox,
    unavailable: options.unavailable,
    maxBacklogAgeMs: options.maxBacklogAgeMs ?? DEFAULT_MAX_BACKLOG_AGE_MS,
    started: () => listening && (options.ready?.() ?? true),
  });
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
    if (path === '/healthz' || path === '/readyz') {
      const probe = path === '/healthz' ? 'liveness' : 'readiness';
      const { httpStatus, body } = options.answerHealth
        ? await options.answerHealth(probe)
        : health.answer(probe);
      return send(res, httpStatus, body, { 'cache-control': 'no-store' });
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
      return pagerduty(req, res, options.pagerduty);
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
    const seq = await keep(res, 'alertmanager', parsed.value);
    if (seq === false) return slot.release();
    slot.fill({ alerts: parsed.value, ...(seq === undefined ? {} : { seq }) });
    return send(res, 200, { accepted: parsed.value.length });
  };

  const pagerduty = async (
    req: IncomingMessage,
    res: ServerResponse,
    { secrets, serviceLabels = {}, maxEventAgeMs }: NonNullable<IntakeServerOptions['pagerduty']>,
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
    const stale = staleEventError(
      parsed.value,
      options.clock.now(),
      maxEventAgeMs ?? DEFAULT_PAGERDUTY_MAX_EVENT_AGE_MS,
    );
    if (stale) return send(res, 400, { error: stale });
    // The signed event.id, not the X-Webhook-Id header: anyone can change a header on a captured delivery.
    const deliveryId = parsed.value.eventId;
    if (parsed.value.kind === 'ignored') return send(res, 202, { ignored: parsed.value.reason });
    const slot = queue.reserve();
    if (!slot) return busy(res);
    // Kept before it is marked: a delivery marked but not kept would be taken for a replay and lost.
    const seq = await keep(res, 'pagerduty', [parsed.value.alert]);
    if (seq === false) return slot.release();
    const kept = seq === undefined ? {} : { seq };
    let first: boolean;
    try {
      first = await options.deliveries.markDelivery('pagerduty', deliveryId);
    } catch (error) {
      // Kept but not marked: processing it is harmless (a repeat), so the cursor may pass it.
      slot.fill({ alerts: [], ...kept });
      options.logger.error({ err: error }, 'could not record a PagerDuty delivery id');
      return send(res, 503, { error: 'could not record the delivery; retry later' }, { 'retry-after': '30' });
    }
    if (!first) {
      slot.fill({ alerts: [], ...kept });
      return send(res, 200, { duplicate: deliveryId });
    }
    slot.fill({ alerts: [parsed.value.alert], ...kept });
    return send(res, 202, { accepted: 1 });
  };

  /**
   * Puts the delivery in the inbox: its seq, undefined without an inbox, or false after answering 503
   * (Belay cannot keep or process it now; the sender keeps it and retries).
   */
  const keep = async (
    res: ServerResponse,
    source: string,
    alerts: readonly Alert[],
  ): Promise<number | undefined | false> => {
    const why = options.unavailable?.();
    if (why) {
      send(res, 503, { error: `Belay cannot process alerts now: ${why}` }, { 'retry-after': '30' });
      return false;
    }
    if (!inbox) return undefined;
    try {
      return await inbox.append(source, alerts);
    } catch (error) {
      options.logger.error({ err: error }, 'could not keep a delivery in the inbox');
      const reason = inbox.problem() ?? (error as Error).message;
      send(res, 503, { error: `Belay could not keep the delivery: ${reason}` }, { 'retry-after': '30' });
      return false;
    }
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
