// The arrows of design.md, enforced: a change that breaks one fails the build, not a code review.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const SRC = resolve(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

interface FileImports {
  file: string; // relative to src/, e.g. decide/decide.ts
  project: string[]; // project files it imports, relative to src/
  packages: string[]; // bare specifiers (npm packages and node: built-ins)
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

const files: FileImports[] = sourceFiles(SRC).map((path) => {
  const text = readFileSync(path, 'utf8');
  const specifiers = [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? '');
  return {
    file: relative(SRC, path),
    project: specifiers.filter((s) => s.startsWith('.')).map((s) => relative(SRC, resolve(dirname(path), s))),
    packages: specifiers.filter((s) => !s.startsWith('.')),
  };
});

const top = (path: string) => path.split('/')[0] ?? '';
const inFolder = (folder: string) => files.filter((f) => top(f.file) === folder);

function violations(from: FileImports[], allowed: (target: string) => boolean): string[] {
  return from.flatMap((f) => f.project.filter((t) => !allowed(t)).map((t) => `${f.file} → ${t}`));
}

describe('architecture', () => {
  it('finds the source tree', () => {
    assert.ok(inFolder('domain').length > 5 && inFolder('decide').length > 3);
  });

  it('domain/ imports nothing of the project and no package but zod', () => {
    assert.deepEqual(
      violations(inFolder('domain'), (t) => top(t) === 'domain'),
      [],
    );
    assert.deepEqual(
      inFolder('domain').flatMap((f) => f.packages.filter((p) => p !== 'zod').map((p) => `${f.file} → ${p}`)),
      [],
    );
  });

  it('decide/ imports only domain/ (and zod): the policy core has no clock, no I/O', () => {
    assert.deepEqual(
      violations(inFolder('decide'), (t) => ['domain', 'decide'].includes(top(t))),
      [],
    );
    assert.deepEqual(
      inFolder('decide').flatMap((f) => f.packages.filter((p) => p !== 'zod').map((p) => `${f.file} → ${p}`)),
      [],
    );
  });

  it('only govern/ (and the composition root, which builds the executor) imports act/', () => {
    const outside = files.filter((f) => !['govern', 'act', 'main.ts'].includes(top(f.file)));
    assert.deepEqual(
      violations(outside, (t) => top(t) !== 'act'),
      [],
    );
  });

  it('orient/ never reaches act/ or govern/', () => {
    assert.deepEqual(
      violations(inFolder('orient'), (t) => !['act', 'govern'].includes(top(t))),
      [],
    );
  });

  it('observe/ (intake, read tools, calendars) never reaches act/ or govern/', () => {
    assert.deepEqual(
      violations(inFolder('observe'), (t) => !['act', 'govern'].includes(top(t))),
      [],
    );
  });

  it('nothing but the composition root imports slack/ or cli/ from outside, and nothing imports main.ts', () => {
    const bad = files
      .filter((f) => f.file !== 'main.ts')
      .flatMap((f) =>
        f.project
          .filter(
            (t) => t === 'main.ts' || ((top(t) === 'slack' || top(t) === 'cli') && top(f.file) !== top(t)),
          )
          .map((t) => `${f.file} → ${t}`),
      );
    assert.deepEqual(bad, []);
  });

  it('only src/config/ reads process.env', () => {
    const readers = sourceFiles(SRC)
      .filter((path) => /process\.env\b/.test(readFileSync(path, 'utf8')))
      .map((path) => relative(SRC, path))
      .filter((file) => top(file) !== 'config');
    assert.deepEqual(readers, []);
  });

  it('only the execution gate mints execution permits', () => {
    const minters = sourceFiles(SRC)
      .filter((path) => /\bissuePermit\s*\(/.test(readFileSync(path, 'utf8')))
      .map((path) => relative(SRC, path))
      .filter((file) => !['govern/permit.ts', 'govern/gate.ts', 'govern/execution-gate.ts'].includes(file));
    assert.deepEqual(minters, []);
  });
});
