import { createHmac } from 'node:crypto';

/**
 * Signs a request body exactly as Slack does (v0, HMAC-SHA256 over `v0:<timestamp>:<raw body>`), so tests
 * can POST slash commands, interactions and events to the app in HTTP mode and let Bolt verify them.
 */
export function slackSignatureHeaders(
  signingSecret: string,
  rawBody: string,
  timestampSeconds: number,
): Record<string, string> {
  const signature = createHmac('sha256', signingSecret)
    .update(`v0:${timestampSeconds}:${rawBody}`)
    .digest('hex');
  return {
    'x-slack-request-timestamp': String(timestampSeconds),
    'x-slack-signature': `v0=${signature}`,
  };
}

export interface SignedPostOptions {
  signingSecret: string;
  /** Unix seconds; Bolt compares it with its own clock, so tests pass the real time (or an old one on purpose). */
  timestampSeconds?: number;
  headers?: Record<string, string>;
}

/** POSTs a form-encoded body (slash commands, `payload=` interactions) signed as Slack signs it. */
export function postSignedForm(url: string, fields: Record<string, string>, options: SignedPostOptions) {
  const body = new URLSearchParams(fields).toString();
  return postSigned(url, body, 'application/x-www-form-urlencoded', options);
}

/** POSTs a JSON body (Events API) signed as Slack signs it. */
export function postSignedJson(url: string, payload: unknown, options: SignedPostOptions) {
  return postSigned(url, JSON.stringify(payload), 'application/json', options);
}

async function postSigned(url: string, body: string, contentType: string, options: SignedPostOptions) {
  const ts = options.timestampSeconds ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      ...slackSignatureHeaders(options.signingSecret, body, ts),
      ...options.headers,
    },
    body,
  });
}
