// Alertmanager (and Prometheus) compile a matcher's value with Go's RE2 as `^(?:value)$`. JavaScript's
// dialect differs at the edges, so a value is translated where the two agree on meaning and refused where
// they do not: a silence or route that meant one thing in Alertmanager must not mean another in Belay.

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-/:-@[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/**
 * The fully anchored JavaScript RegExp that matches what Go's `regexp.Compile("^(?:" + value + ")$")`
 * matches, or a sentence saying why the value cannot be read that way.
 */
export function anchoredRe2(value: string): RegExp | string {
  let flags = '';
  let body = value;
  // Go allows flags at the start, `(?i)postgres`; JavaScript takes them as RegExp flags.
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(body);
  if (leading) {
    for (const flag of leading[1] as string) {
      if (flag === 'i' || flag === 's' || flag === 'm') flags += flags.includes(flag) ? '' : flag;
      else return `the flag (?${flag}) is not supported`;
    }
    body = body.slice(leading[0].length);
  }
  const translated = translate(body);
  if (translated.error) return translated.error;
  try {
    return new RegExp(`^(?:${translated.text})$`, flags);
  } catch (error) {
    return (error as Error).message;
  }
}

function translate(body: string): { text: string; error?: string } {
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    const rest = body.slice(i);
    if (c === '\\') {
      const next = body[i + 1] ?? '';
      if (/[1-9]/.test(next)) return { text: '', error: `back-references (\\${next}) are not RE2 syntax` };
      if (next === 'z') out += inClass ? 'z' : '(?![\\s\\S])';
      else if (next === 'A') out += inClass ? 'A' : '(?<![\\s\\S])';
      else if (next === 'Q' || next === 'p' || next === 'P' || next === 'C')
        return { text: '', error: `\\${next} is not supported` };
      else out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(rest);
      if (posix) {
        const range = POSIX_CLASSES[posix[2] as string];
        if (!range || posix[1]) return { text: '', error: `the class ${posix[0]} is not supported` };
        out += range;
        i += posix[0].length - 1;
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A `]` right after `[` or `[^` is a literal in both dialects; copy it so it does not close the class.
      const lead = /^\[\^?\]/.exec(rest);
      if (lead) {
        out += lead[0].slice(1);
        i += lead[0].length - 1;
      }
      continue;
    }
    if (rest.startsWith('(?P<')) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (/^\(\?<?[=!]/.test(rest)) return { text: '', error: 'look-around groups are not RE2 syntax' };
    if (/^\(\?[a-zA-Z]*\)/.test(rest)) return { text: '', error: 'flags are only supported at the start' };
    out += c;
  }
  return { text: out };
}
