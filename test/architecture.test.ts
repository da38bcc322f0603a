// The arrows of design.md, enforced: a change that breaks one fails the build, not a code review. The import
// graph is read by a real lexer (test/architecture/import-graph.ts) and every rule is proven to fail on a
// fixture tree that breaks it (test/fixtures/architecture/<rule>/src).
//
// `import type` counts: Node erases it at run time, but a folder that names another's types knows that
// folder, and a cycle through types is still two folders that cannot be understood apart.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import {
  COMPOSITION_ROOT,
  folderCycles,
  MAY_IMPORT,
  RULES,
  type RuleName,
  top,
} from './architecture/design-rules.ts';
import { readImportGraph, type SourceFile } from './architecture/import-graph.ts';

const SRC = resolve(import.meta.dirname, '..', 'src');
const FIXTURES = resolve(import.meta.dirname, 'fixtures', 'architecture');
const files = readImportGraph(SRC);
const inFolder = (folder: string) => files.filter((f) => top(f.path) === folder);

function violations(tree: readonly SourceFile[]): Record<RuleName, string[]> {
  return Object.fromEntries(Object.entries(RULES).map(([name, rule]) => [name, rule(tree)])) as Record<
    RuleName,
    string[]
  >;
}

describe('architecture', () => {
  it('finds the source tree', () => {
    assert.ok(inFolder('domain').length > 5 && inFolder('decide').length > 3 && inFolder('kube').length > 2);
  });

  it('reads what Node runs: the lexer’s value imports are exactly those left after Node strips the types', () => {
    const disagree = files.flatMap((f) => {
      const lexed = f.imports.filter((e) => !e.typeOnly).map((e) => e.specifier ?? '?');
      return JSON.stringify(lexed) === JSON.stringify(f.runtimeSpecifiers)
        ? []
        : [`${f.path}: lexer ${lexed.join(', ')} / node ${f.runtimeSpecifiers.join(', ')}`];
    });
    assert.deepEqual(disagree, []);
  });

  for (const [name, rule] of Object.entries(RULES)) {
    it(`src/ keeps the rule "${name}"`, () => {
      assert.deepEqual(rule(files), []);
    });
  }

  it('the arrows table itself has no cycle, so no folder can be allowed to depend on itself', () => {
    const synthetic: SourceFile[] = Object.entries(MAY_IMPORT).map(([from, targets]) => ({
      path: from.endsWith('.ts') ? from : `${from}/index.ts`,
      text: '',
      runtimeSpecifiers: [],
      imports: targets.map((to) => ({
        specifier: to,
        file: `${to}/index.ts`,
        typeOnly: false,
        dynamic: false,
      })),
    }));
    assert.deepEqual(folderCycles(synthetic), []);
  });

  it('act/ and config/ never reach observe/; only the composition root and cli/ reach compose/', () => {
    assert.ok(!MAY_IMPORT.act?.includes('observe') && !MAY_IMPORT.config?.includes('observe'));
    const reachCompose = Object.entries(MAY_IMPORT)
      .filter(([, targets]) => targets.includes('compose'))
      .map(([from]) => from);
    assert.deepEqual(reachCompose.sort(), ['boot', 'cli', 'main.ts']);
    assert.deepEqual([...COMPOSITION_ROOT], ['main.ts', 'boot', 'compose']);
    const reachBoot = Object.entries(MAY_IMPORT)
      .filter(([, targets]) => targets.includes('boot'))
      .map(([from]) => from);
    assert.deepEqual(reachBoot, ['main.ts'], 'only main.ts imports boot/');
  });

  it('nothing imports demo/: only package.json’s `npm run demo` starts the playground', () => {
    const importers = files
      .filter(
        (f) =>
          top(f.path) !== 'demo' && f.imports.some((e) => e.file !== undefined && top(e.file) === 'demo'),
      )
      .map((f) => f.path);
    assert.deepEqual(importers, []);
    assert.ok(
      inFolder('demo').some((f) => f.path === 'demo/demo.ts'),
      'src/demo/demo.ts is the entry',
    );
    assert.ok(!Object.values(MAY_IMPORT).some((targets) => targets.includes('demo')));
  });

  it('only src/config/ reads process.env', () => {
    const readers = files
      .filter((f) => /process\.env\b/.test(f.text) && top(f.path) !== 'config')
      .map((f) => f.path);
    assert.deepEqual(readers, []);
  });

  it('only the execution gate mints execution permits', () => {
    // The gate is execution-gate.ts and its revert path, gate-revert.ts: one gate, two files.
    const minters = ['govern/permit.ts', 'govern/execution-gate.ts', 'govern/gate-revert.ts'];
    for (const file of minters) assert.ok(existsSync(join(SRC, file)), `${file} is gone; update this list`);
    const others = files
      .filter((f) => /\bissuePermit\s*\(/.test(f.text) && !minters.includes(f.path))
      .map((f) => f.path);
    assert.deepEqual(others, []);
  });
});

describe('each architecture rule fails on a tree that breaks it', () => {
  const expected: Record<RuleName, { also?: RuleName[]; messages: RegExp[] }> = {
    'folder-arrows': {
      messages: [
        /^cli\/run\.ts → act\/index\.ts: cli\/ may import only compose\/, govern\/, .*Move what both need/,
        /^config\/check\.ts → observe\/calendar\.ts \(type\): config\/ may import only domain\/ \(and itself\)/,
        /^orient\/index\.ts → govern\/service\.ts: orient\/ may import only observe\/, domain\//,
        /^slack\/app\.ts → act\/index\.ts: slack\/ may import only govern\/, domain\//,
      ],
    },
    packages: {
      messages: [
        /^cli\/explain\.ts → @kubernetes\/client-node: only kube\/, observe\/kubernetes\/, act\/ \(and src\/main\.ts\) may import @kubernetes\/client-node; take a KubeReader or Clusters from kube\/index\.ts/,
        /^govern\/summarize\.ts → openai \(type\): only orient\/ .* may import openai; talk to the model through orient\//,
        /^observe\/notify\.ts → @slack\/bolt: only slack\/ .* may import @slack\/\*; keep Slack at the edge/,
      ],
    },
    'pure-core': {
      messages: [
        /^decide\/decide\.ts → node:fs: decide\/ is the pure policy core and imports no package but zod; pass time, I\/O/,
        /^domain\/alert\.ts → yaml: domain\/ is the pure policy core/,
      ],
    },
    'computed-imports': {
      messages: [
        /^cli\/commands\.ts: import\(\) with a computed specifier; write the path as a string literal/,
        /^cli\/commands\.ts: import\(\) with a computed specifier/,
      ],
    },
    'never-reach-act': {
      messages: [
        /^mcp\/tools\.ts → govern\/explain\.ts → govern\/gate\.ts → act\/run\.ts: mcp\/ must never reach act\/, not even through govern\/; take the use-case as a function/,
      ],
    },
    cycles: {
      also: ['folder-arrows'],
      messages: [
        /^act\/ → govern\/ → act\/ \(act\/executor\.ts → govern\/gate\.ts; govern\/gate\.ts → act\/executor\.ts \(type\)\): folders may not depend on each other; move the shared part/,
      ],
    },
  };

  for (const [rule, want] of Object.entries(expected) as [RuleName, (typeof expected)[RuleName]][]) {
    it(`${rule}: test/fixtures/architecture/${rule}/src is refused, and the message says what is allowed`, () => {
      const found = violations(readImportGraph(join(FIXTURES, rule, 'src')));
      const got = [...found[rule]].sort();
      assert.equal(got.length, want.messages.length, got.join('\n'));
      want.messages.forEach((pattern, i) => {
        assert.match(got[i] as string, pattern);
      });
      for (const [other, messages] of Object.entries(found)) {
        if (other !== rule && !want.also?.includes(other as RuleName)) assert.deepEqual(messages, [], other);
      }
    });
  }
});
