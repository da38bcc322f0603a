import type { Config } from '../config/index.ts';
import { describeRateLimit } from '../decide/index.ts';
import { formatDuration } from '../domain/index.ts';
import { describeSwitches } from '../govern/switch-check.ts';

/** What the loaded policy will do, in the order an operator reviews it: who is critical, what runs, when not. */
export function summarizeConfig(config: Readonly<Config>): string[] {
  const lines: string[] = [];
  const table = (title: string, rows: string[][]) => {
    lines.push(`${title} (${rows.length}):`);
    if (rows.length === 0) lines.push('  none');
    const widths = rows.reduce<number[]>(
      (w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)),
      [],
    );
    for (const row of rows) {
      lines.push(
        `  ${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}`,
      );
    }
  };

  table(
    'namespace classes',
    config.namespaceClasses.map((c) => {
      const traits = [
        c.critical ? 'critical: every action needs approval' : '',
        c.namespaces.length > 0 ? `namespaces ${c.namespaces.join(', ')}` : '',
        c.labels
          ? `labels ${Object.entries(c.labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')}`
          : '',
        c.name === config.defaultNamespaceClass ? 'default for every other namespace' : '',
      ].filter(Boolean);
      return [c.name, traits.join('; ')];
    }),
  );
  table(
    'rules',
    config.rules.map((r) => [r.name, r.action, r.mode]),
  );
  table(
    'windows',
    config.windows.map((w) => [
      w.name,
      w.kind,
      w.schedule !== undefined
        ? `"${w.schedule}" ${w.timezone} for ${formatDuration(w.duration ?? 0)}`
        : `${w.from} to ${w.to}`,
      w.blocks === 'all' ? 'blocks every action' : `blocks ${w.blocks.join(', ')}`,
    ]),
  );
  table(
    'rate limits',
    config.rateLimits.map((l) => [
      `${l.limit} per ${l.scope} per ${formatDuration(l.window)}`,
      l.actions.join(', '),
      describeRateLimit(l),
    ]),
  );
  lines.push(...describeSwitches(config));
  return lines;
}
