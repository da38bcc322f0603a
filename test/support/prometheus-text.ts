// A strict reader of the Prometheus text exposition format (0.0.4), for tests that scrape /metrics: every
// sample must belong to a family announced by HELP and TYPE, names and labels must be legal, values numbers.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Parses a scrape, or throws naming the line that breaks the format. */
export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const help = new Map<string, string>();
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new Error('the exposition must end with a newline');
  lines.forEach((line, i) => {
    const where = `line ${i + 1} (${JSON.stringify(line)})`;
    if (line === '') return;
    if (line.startsWith('# HELP ')) {
      const [, name, text] = line.match(/^# HELP (\S+) (.*)$/) ?? [];
      if (!name || !NAME.test(name) || help.has(name)) throw new Error(`${where}: bad or repeated HELP`);
      help.set(name, text ?? '');
      return;
    }
    if (line.startsWith('# TYPE ')) {
      const [, name, type] = line.match(/^# TYPE (\S+) (\S+)$/) ?? [];
      if (!name || !type || !TYPES.has(type) || families.has(name))
        throw new Error(`${where}: bad or repeated TYPE`);
      if (!help.has(name)) throw new Error(`${where}: TYPE before HELP`);
      families.set(name, { name, help: help.get(name) ?? '', type: type as MetricType, samples: [] });
      return;
    }
    if (line.startsWith('#')) return;
    const sample = parseSample(line, where);
    const family = familyOf(sample.name, families);
    if (!family) throw new Error(`${where}: sample ${sample.name} has no TYPE`);
    family.samples.push(sample);
  });
  return families;
}

function familyOf(name: string, families: Map<string, MetricFamily>): MetricFamily | undefined {
  const exact = families.get(name);
  if (exact) return exact;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  const family = families.get(base);
  return family && (family.type === 'histogram' || family.type === 'summary') ? family : undefined;
}

function parseSample(line: string, where: string): Sample {
  const match = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/);
  if (!match) throw new Error(`${where}: not a sample line`);
  const [, name = '', , body, raw = ''] = match;
  const labels: Record<string, string> = {};
  let rest = body ?? '';
  while (rest.length > 0) {
    const label = rest.match(/^([^=]+)="((?:[^"\\]|\\.)*)"(,|$)/);
    if (!label) throw new Error(`${where}: bad label syntax at ${JSON.stringify(rest)}`);
    const [all, key = '', value = ''] = label;
    if (!LABEL.test(key) || key.startsWith('__')) throw new Error(`${where}: bad label name ${key}`);
    if (key in labels) throw new Error(`${where}: label ${key} repeated`);
    labels[key] = value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(all.length);
  }
  return { name, labels, value: parseValue(raw, where) };
}

/** As Prometheus reads a value (Go's ParseFloat): a decimal or exponent float, or NaN/Inf in any case. */
function parseValue(raw: string, where: string): number {
  if (/^nan$/i.test(raw)) return NaN;
  const inf = raw.match(/^([+-]?)inf(inity)?$/i);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw))
    throw new Error(`${where}: value ${raw} is not a number`);
  return Number(raw);
}
