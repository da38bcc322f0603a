import { createHmac, timingSafeEqual } from 'node:crypto';

const ENTRY = /^v1=([0-9a-f]{64})$/i;

/**
 * Verifies `X-PagerDuty-Signature` (Webhooks V3): one or more comma-separated `v1=<hex>` entries, each an
 * HMAC-SHA256 of the raw body. Any entry matching any configured secret is enough, because during a secret
 * rotation PagerDuty signs with both the old and the new secret.
 */
export function verifyPagerDutySignature(
  rawBody: Buffer,
  header: string | undefined,
  secrets: readonly string[],
): boolean {
  if (!header || secrets.length === 0) return false;
  const presented = header
    .split(',')
    .map((entry) => ENTRY.exec(entry.trim())?.[1])
    .filter((hex): hex is string => hex !== undefined)
    .map((hex) => Buffer.from(hex, 'hex'));
  if (presented.length === 0) return false;
  let valid = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    for (const candidate of presented) {
      // No early exit: every pair is compared so timing does not say which one matched.
      if (timingSafeEqual(candidate, expected)) valid = true;
    }
  }
  return valid;
}

/** The header value PagerDuty would send for this body and secret; for fixtures, tests and the benchmark. */
export function signPagerDutyBody(rawBody: Buffer | string, secret: string): string {
  return `v1=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}
