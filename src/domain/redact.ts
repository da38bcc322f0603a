import { marker, REDACTION_RULES, SECRET_KEY, SECRET_KEY_EXCEPTIONS } from './redaction-patterns.ts';

const SECRET_KEY_NAME = new RegExp(`^(?:.*/)?${SECRET_KEY}$`, 'i');

/**
 * Replaces every secret Belay can recognise in a piece of text with `[REDACTED:<kind>]`, keeping the
 * words around it. Pure, idempotent and total: the same text always gives the same result, and running
 * it twice changes nothing more. Used before anything leaves the process (model, Slack, audit log).
 */
export function redact(text: string): string {
  let out = text;
  for (const rule of REDACTION_RULES) {
    out = out.replace(rule.pattern, (match: string, ...rest: unknown[]) => {
      const groups = rest.at(-1) as Record<string, string | undefined> | undefined;
      const key = typeof groups === 'object' ? groups?.key : undefined;
      if (key && SECRET_KEY_EXCEPTIONS.test(key)) return match;
      const keep = typeof groups === 'object' ? (groups?.keep ?? '') : '';
      return `${keep}${marker(rule.id)}`;
    });
  }
  return out;
}

/** Whether an object key holds a secret (`password`, `DB_PASSWORD`, `client_secret`), not just names one. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_NAME.test(key) && !SECRET_KEY_EXCEPTIONS.test(key);
}

/**
 * Redacts a JSON-like value: every string through `redact`, every value under a secret-looking key
 * replaced whole, and Kubernetes env entries (`{ name: "DB_PASSWORD", value: "…" }`) by their name.
 * Returns a new value; the input is not touched.
 */
export function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return redactLines(value);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const envSecret = typeof record.name === 'string' && isSecretKey(record.name);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(record)) {
    const secret = (isSecretKey(key) || (envSecret && key === 'value')) && isScalar(inner);
    out[key] = secret ? marker('secret') : redactDeep(inner);
  }
  return out;
}

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/;
const PEM_END = /-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/;

/**
 * An array's items one by one, except a private key split over items (log lines as a list): every item
 * after a BEGIN line that does not end the key in the same item is part of the key, up to its END line.
 */
function redactLines(items: readonly unknown[]): unknown[] {
  let inKey = false;
  return items.map((item) => {
    if (typeof item !== 'string') return redactDeep(item);
    if (inKey) {
      if (PEM_END.test(item) || PEM_BEGIN.test(item)) inKey = false;
      return marker('private-key');
    }
    const begin = PEM_BEGIN.exec(item);
    if (begin && !PEM_END.test(item.slice(begin.index))) inKey = true;
    return redact(item);
  });
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number';
}
