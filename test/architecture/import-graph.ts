// The import graph of a source tree, read by es-module-lexer (the lexer Vite and Node's tooling use), not a
// regex: side-effect imports, re-exports, `export *`, dynamic imports and `import type` are all edges.
import { readdirSync, readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { init, parse } from 'es-module-lexer';

export interface ImportEdge {
  /** The specifier as written, or undefined for a dynamic import whose argument is computed. */
  readonly specifier: string | undefined;
  /** For a relative specifier: the file it names, relative to the tree's root (`kube/index.ts`). */
  readonly file?: string;
  /** For a bare specifier: the package (`@slack/bolt`, `zod`, `node:fs`). */
  readonly package?: string;
  /** `import type …` / `export type … from`: erased when Node runs the file, still a design dependency. */
  readonly typeOnly: boolean;
  readonly dynamic: boolean;
}

export interface SourceFile {
  /** Relative to the tree's root, with forward slashes: `observe/kubernetes/gather-facts.ts`. */
  readonly path: string;
  readonly text: string;
  readonly imports: readonly ImportEdge[];
  /** Specifiers Node itself loads at run time: the file's imports after Node strips its types. */
  readonly runtimeSpecifiers: readonly string[];
}

await init;

const posix = (path: string) => path.split(sep).join('/');

function sourcePaths(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourcePaths(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `@scope/name/sub` → `@scope/name`; `yaml/util` → `yaml`; `node:fs` stays. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/** Every `.ts` file under `root` with its imports. */
export function readImportGraph(root: string): SourceFile[] {
  return sourcePaths(root).map((absolute) => {
    const text = readFileSync(absolute, 'utf8');
    const [found] = parse(text, absolute);
    const imports: ImportEdge[] = [];
    for (const entry of found) {
      if (entry.type === 'import-meta') continue;
      const specifier = entry.specifier;
      const typeOnly = entry.type === 'dynamic' ? entry.probablyTypeOnly : entry.typeOnly;
      const dynamic = entry.type === 'dynamic';
      if (specifier === undefined || (dynamic && entry.glob)) {
        imports.push({ specifier: undefined, typeOnly, dynamic });
      } else if (specifier.startsWith('.')) {
        const file = posix(relative(root, resolve(dirname(absolute), specifier)));
        imports.push({ specifier, file, typeOnly, dynamic });
      } else {
        imports.push({ specifier, package: packageOf(specifier), typeOnly, dynamic });
      }
    }
    const [runtime] = parse(stripTypeScriptTypes(text), absolute);
    const runtimeSpecifiers = runtime.flatMap((e) => (e.type === 'import-meta' ? [] : [e.specifier ?? '?']));
    return { path: posix(relative(root, absolute)), text, imports, runtimeSpecifiers };
  });
}
