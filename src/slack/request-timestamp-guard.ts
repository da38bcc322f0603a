import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** Slack's rule: a request stamped more than five minutes from now, either way, is refused. */
export const MAX_REQUEST_SKEW_SECONDS = 5 * 60;

/**
 * Bolt's check refuses requests stamped more than five minutes in the past, but not in the future: a signed
 * request stamped tomorrow could be replayed all day. This wraps a request listener so a request stamped
 * too far ahead is refused as a stale one is (401), before Bolt or any listener sees it. The signature is
 * still Bolt's to check; this only reads the timestamp it covers.
 */
export function refuseFutureTimestamps(inner: RequestListener, nowMs: () => number): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const header = req.headers['x-slack-request-timestamp'];
    const stamped = Number(typeof header === 'string' ? header : Number.NaN);
    if (Number.isFinite(stamped) && stamped - Math.floor(nowMs() / 1_000) > MAX_REQUEST_SKEW_SECONDS) {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end(
        'x-slack-request-timestamp is more than 5 minutes in the future; refused like a stale request. Check the clocks.',
      );
      return;
    }
    inner(req, res);
  };
}
