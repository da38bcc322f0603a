// The arrows of docs/design.md as data, and the checks that read them against an import graph. Every
// message names the file, what it imports, and what is allowed instead, so a failing build says how to fix it.
import type { ImportEdge, SourceFile } from './import-graph.ts';

/**
 * The composition root: main.ts builds Belay's process, boot/ holds its wiring split along its seams (only
 * main.ts imports it), and compose/ the wiring the CLI shares with it (the facts source, read tools, MCP),
 * so "one composition root" is this file and these two small folders. Only they and the edges that start
 * a process may import compose/.
 */
export const COMPOSITION_ROOT = ['main.ts', 'boot', 'compose'] as const;

/** What the running bot's wiring (main.ts and boot/) may import: everything but itself. */
const BOT_WIRING = [
  'compose',
  'metrics',
  'health',
  'slack',
  'govern',
  'act',
  'observe',
  'kube',
  'orient',
  'decide',
  'graph',
  'config',
  'domain',
] as const;

/** What each top-level unit may import besides itself. A folder missing here is refused until it is added. */
export const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  domain: [],
  decide: ['domain'],
  config: ['domain'],
  kube: ['config', 'domain'],
  // Named health checks and their evaluation: a leaf the intake serves and metrics/ scrapes.
  health: [],
  observe: ['health', 'kube', 'config', 'domain'],
  orient: ['observe', 'domain'],
  act: ['kube', 'config', 'domain'],
  govern: ['act', 'decide', 'observe', 'orient', 'config', 'domain'],
  slack: ['govern', 'domain'],
  // The MCP edge: read tools, explain and propose as use-cases handed in; it never reaches act/ (see below).
  mcp: ['govern', 'observe', 'orient', 'domain'],
  cli: ['compose', 'govern', 'mcp', 'observe', 'decide', 'graph', 'config', 'domain'],
  compose: ['mcp', 'govern', 'observe', 'kube', 'orient', 'decide', 'config', 'domain'],
  // Draws an incident's metric graph (a GraphSpec) as a PNG: data in, picture out; wired in by the root.
  graph: ['domain'],
  // Metrics are recorded through hooks the composition root wires; nothing else imports metrics/.
  metrics: ['health', 'domain'],
  // The running bot's wiring, split out of main.ts along its seams: only main.ts imports it.
  boot: BOT_WIRING,
  // `npm run demo`: the real composition root (main.ts) against an embedded cluster, Prometheus and Slack.
  // It reads kube/ and act/ only for the RBAC the embedded cluster grants (what deploy/ grants). Nothing
  // imports demo/; only package.json's script starts it.
  demo: ['main.ts', 'act', 'kube', 'config', 'domain'],
  'main.ts': ['boot', ...BOT_WIRING],
};

/** Packages only some folders may import (main.ts, the composition root, is excepted). */
export const PACKAGE_OWNERS: readonly {
  readonly matches: (pkg: string) => boolean;
  readonly name: string;
  readonly owners: readonly string[];
  readonly instead: string;
}[] = [
  {
    matches: (p) => p === '@kubernetes/client-node',
    name: '@kubernetes/client-node',
    owners: ['kube/', 'observe/kubernetes/', 'act/'],
    instead:
      'take a KubeReader or Clusters from kube/index.ts as a parameter, built by the composition root (src/main.ts, src/compose/)',
  },
  {
    matches: (p) => p === 'openai',
    name: 'openai',
    owners: ['orient/'],
    instead: 'talk to the model through orient/ (ModelPort, createOrienter)',
  },
  {
    matches: (p) => p === 'prom-client',
    name: 'prom-client',
    owners: ['metrics/'],
    instead:
      'record through a hook (a plain function option) that src/main.ts wires to metrics/ (createBelayMetrics)',
  },
  {
    matches: (p) => p === '@modelcontextprotocol/sdk',
    name: '@modelcontextprotocol/sdk',
    owners: ['mcp/'],
    instead: 'serve agents from mcp/ (createBelayMcpServer, serveMcpStdio, serveMcpHttp)',
  },
  {
    matches: (p) => p.startsWith('@slack/'),
    name: '@slack/*',
    owners: ['slack/'],
    instead: 'keep Slack at the edge: give slack/ a use-case from govern/ and render with slack/blocks/',
  },
];

/** The policy core imports no package but zod: no clock, no I/O, nothing with side effects. */
export const PURE_CORE = ['domain', 'decide'] as const;

export const top = (path: string): string => path.split('/')[0] ?? '';
const folder = (unit: string) => (unit.endsWith('.ts') ? unit : `${unit}/`);
const arrow = (file: SourceFile, edge: ImportEdge) =>
  `${file.path} → ${edge.file ?? edge.specifier ?? '(computed specifier)'}${edge.typeOnly ? ' (type)' : ''}`;

/** A project import that the table does not allow, with the folders that are. */
export function folderArrowViolations(files: readonly SourceFile[]): string[] {
  return files.flatMap((file) => {
    const from = top(file.path);
    const allowed = MAY_IMPORT[from];
    if (!allowed) {
      return [
        `${file.path}: ${folder(from)} is not in the design's arrows; add it to MAY_IMPORT in test/architecture/design-rules.ts with the folders it may import (and to docs/design.md)`,
      ];
    }
    return file.imports
      .filter(
        (edge) => edge.file !== undefined && top(edge.file) !== from && !allowed.includes(top(edge.file)),
      )
      .map((edge) => {
        const may = allowed.length ? allowed.map(folder).join(', ') : 'nothing of the project';
        return `${arrow(file, edge)}: ${folder(from)} may import only ${may} (and itself). Move what both need into a folder ${folder(from)} may import, or have the composition root (src/main.ts, src/compose/) pass it in.`;
      });
  });
}

/** A restricted package imported outside the folders that own it. */
export function packageViolations(files: readonly SourceFile[]): string[] {
  return files
    .filter((file) => file.path !== 'main.ts')
    .flatMap((file) =>
      file.imports.flatMap((edge) => {
        const rule = edge.package ? PACKAGE_OWNERS.find((r) => r.matches(edge.package as string)) : undefined;
        if (!rule || rule.owners.some((owner) => file.path.startsWith(owner))) return [];
        return [
          `${arrow(file, edge)}: only ${rule.owners.join(', ')} (and src/main.ts) may import ${rule.name}; ${rule.instead}.`,
        ];
      }),
    );
}

/** domain/ and decide/ import no package but zod. */
export function pureCoreViolations(files: readonly SourceFile[]): string[] {
  return files
    .filter((file) => (PURE_CORE as readonly string[]).includes(top(file.path)))
    .flatMap((file) =>
      file.imports
        .filter((edge) => edge.package !== undefined && edge.package !== 'zod')
        .map(
          (edge) =>
            `${arrow(file, edge)}: ${folder(top(file.path))} is the pure policy core and imports no package but zod; pass time, I/O and their results in as arguments.`,
        ),
    );
}

/** A dynamic import whose specifier is computed cannot be checked, so it is refused. */
export function computedImportViolations(files: readonly SourceFile[]): string[] {
  return files.flatMap((file) =>
    file.imports
      .filter((edge) => edge.specifier === undefined)
      .map(
        () =>
          `${file.path}: import() with a computed specifier; write the path as a string literal so the arrows can be checked.`,
      ),
  );
}

/** Top-level folders that depend on each other, through however many others: each cycle, once. */
export function folderCycles(files: readonly SourceFile[]): string[] {
  const edges = new Map<string, Map<string, string>>();
  for (const file of files) {
    for (const edge of file.imports) {
      if (edge.file === undefined) continue;
      const from = top(file.path);
      const to = top(edge.file);
      if (from === to) continue;
      const out = edges.get(from) ?? new Map<string, string>();
      if (!out.has(to)) out.set(to, arrow(file, edge));
      edges.set(from, out);
    }
  }
  const cycles = new Map<string, string>();
  const walk = (path: readonly string[]) => {
    const last = path[path.length - 1] as string;
    for (const next of edges.get(last)?.keys() ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const loop = [...path.slice(at), next];
        const key = [...loop.slice(0, -1)].sort().join(',');
        if (!cycles.has(key)) {
          const via = loop.slice(0, -1).map((f, i) => edges.get(f)?.get(loop[i + 1] as string));
          cycles.set(
            key,
            `${loop.map(folder).join(' → ')} (${via.join('; ')}): folders may not depend on each other; move the shared part into a folder both may import, or invert one arrow with a parameter.`,
          );
        }
      } else {
        walk([...path, next]);
      }
    }
  };
  for (const start of [...edges.keys()].sort()) walk([start]);
  return [...cycles.values()];
}

/** Folders that may not reach act/ through any chain of imports, types included: nothing there can run an action. */
export const NEVER_REACH_ACT = ['mcp'] as const;

/** A file of mcp/ from which some chain of imports, through any folders, ends in act/: the first chain found. */
export function reachesActViolations(files: readonly SourceFile[]): string[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  return files
    .filter((file) => (NEVER_REACH_ACT as readonly string[]).includes(top(file.path)))
    .flatMap((file) => {
      const seen = new Set([file.path]);
      const queue: string[][] = [[file.path]];
      while (queue.length > 0) {
        const path = queue.shift() as string[];
        const at = byPath.get(path[path.length - 1] as string);
        for (const edge of at?.imports ?? []) {
          if (edge.file === undefined || seen.has(edge.file)) continue;
          const next = [...path, edge.file];
          if (top(edge.file) === 'act')
            return [
              `${next.join(' → ')}: ${folder(top(file.path))} must never reach act/, not even through govern/; take the use-case as a function (composed in src/compose/), never the gate or the executor.`,
            ];
          seen.add(edge.file);
          queue.push(next);
        }
      }
      return [];
    });
}

export const RULES = {
  'folder-arrows': folderArrowViolations,
  packages: packageViolations,
  'pure-core': pureCoreViolations,
  'computed-imports': computedImportViolations,
  cycles: folderCycles,
  'never-reach-act': reachesActViolations,
} as const;
export type RuleName = keyof typeof RULES;
