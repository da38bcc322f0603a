// Alertmanager templates are Go templates; `printf "%q"` writes a value as a Go string literal
// (strconv.Quote). Reading it back exactly is what lets label values survive a trip through Slack.
const SIMPLE: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** The body of a Go double-quoted literal (without the quotes) → its value; undefined when malformed. */
export function unquoteGo(body: string): string | undefined {
  let out = '';
  const bytes: number[] = [];
  const flushBytes = () => {
    if (bytes.length) out += Buffer.from(bytes).toString('utf8');
    bytes.length = 0;
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      flushBytes();
      out += c;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return undefined;
    const simple = SIMPLE[e];
    if (simple !== undefined) {
      flushBytes();
      out += simple;
      i += 1;
      continue;
    }
    const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (
      width === 0 ||
      !/^[0-9a-fA-F]+$/.test(body.slice(i + 2, i + 2 + width)) ||
      i + 2 + width > body.length
    )
      return undefined;
    const code = Number.parseInt(body.slice(i + 2, i + 2 + width), 16);
    // \x escapes are raw bytes (Go quotes invalid UTF-8 that way); \u and \U are code points.
    if (e === 'x') bytes.push(code);
    else {
      if (code > 0x10ffff) return undefined;
      flushBytes();
      out += String.fromCodePoint(code);
    }
    i += 1 + width;
  }
  flushBytes();
  return out;
}
