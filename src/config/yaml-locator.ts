import { type Document, isMap, isNode, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { ConfigPath } from './config-problem.ts';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Finds where a path lives in the YAML source, so a problem points at the line the operator must edit. */
export interface YamlLocator {
  /** The node at the path; for a missing key, the nearest ancestor that exists (the parent). */
  at(path: ConfigPath): Position;
  /** The line of a key itself (an unknown or duplicate key). */
  key(path: ConfigPath): Position;
  /** The path of the deepest node that contains a source offset (for YAML errors). */
  pathAt(offset: number): ConfigPath;
  position(offset: number): Position;
}

export function createYamlLocator(doc: Document, lineCounter: LineCounter): YamlLocator {
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const start = (node: unknown): number | undefined =>
    isNode(node) && node.range ? node.range[0] : undefined;

  const keyNode = (path: ConfigPath): Node | undefined => {
    if (path.length === 0) return undefined;
    const parent = doc.getIn(path.slice(0, -1), true);
    const last = path[path.length - 1];
    if (!isMap(parent)) return undefined;
    for (const pair of parent.items) {
      if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === String(last)) return pair.key;
    }
    return undefined;
  };

  const at = (path: ConfigPath): Position => {
    const own = start(doc.getIn(path, true)) ?? start(keyNode(path));
    if (own !== undefined) return position(own);
    // A missing key: point at the key of the mapping it belongs in (`when:`), where it has to be added.
    for (let depth = path.length - 1; depth >= 0; depth--) {
      const prefix = path.slice(0, depth);
      const offset = start(keyNode(prefix)) ?? start(doc.getIn(prefix, true));
      if (offset !== undefined) return position(offset);
    }
    return { line: 1, column: 1 };
  };

  return {
    at,
    key: (path) => {
      const offset = start(keyNode(path));
      return offset === undefined ? at(path) : position(offset);
    },
    position,
    pathAt: (offset) => {
      const path: (string | number)[] = [];
      let node: unknown = doc.contents;
      for (;;) {
        const found = childContaining(node, offset);
        if (!found) return path;
        path.push(found.segment);
        node = found.node;
      }
    },
  };
}

function childContaining(
  node: unknown,
  offset: number,
): { segment: string | number; node: unknown } | undefined {
  const contains = (n: unknown) => isNode(n) && !!n.range && n.range[0] <= offset && offset < n.range[2];
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const segment = String(pair.key.value);
      if (contains(pair.key)) return { segment, node: undefined };
      if (contains(pair.value)) return { segment, node: pair.value };
    }
  }
  if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) if (contains(item)) return { segment: i, node: item };
  }
  return undefined;
}
