import { secretEquals } from './secret-equals.ts';

/** How Alertmanager's `http_config` authenticates to Belay: `authorization` (Bearer) or `basic_auth`. */
export type WebhookAuth =
  | { readonly type: 'bearer'; readonly token: string }
  | { readonly type: 'basic'; readonly username: string; readonly password: string };

/** True when the Authorization header carries any of the configured credentials. */
export function checkWebhookAuth(
  header: string | undefined,
  auth: WebhookAuth | readonly WebhookAuth[],
): boolean {
  const accepted = Array.isArray(auth) ? auth : [auth as WebhookAuth];
  // Every credential is compared, so timing does not tell which kind is configured.
  return accepted.map((a) => matches(header, a)).includes(true);
}

function matches(header: string | undefined, auth: WebhookAuth): boolean {
  if (!header) return false;
  const space = header.indexOf(' ');
  if (space < 0) return false;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (auth.type === 'bearer') {
    // Always run the comparison so a wrong scheme costs the same as a wrong token.
    const tokenOk = secretEquals(value, auth.token);
    return scheme === 'bearer' && tokenOk;
  }
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const username = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  const userOk = secretEquals(username, auth.username);
  const passwordOk = secretEquals(password, auth.password);
  return scheme === 'basic' && colon >= 0 && userOk && passwordOk;
}
