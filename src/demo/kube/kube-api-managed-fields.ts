import type { Loose } from './kube-api-patch.ts';

// metadata.managedFields as the API server keeps them for Update operations: each writer (its fieldManager,
// or the User-Agent's product name when it gives none) owns the fields it changed, with the time of its last
// write; a field another manager changes moves to that manager. Lists are owned whole (the real server keys
// list items; the fake has no need to).

// Fields the server itself maintains: nobody "manages" them.
const SERVER_OWNED = new Set([
  'metadata.resourceVersion',
  'metadata.generation',
  'metadata.managedFields',
  'metadata.uid',
  'metadata.creationTimestamp',
  'metadata.name',
  'metadata.namespace',
  'apiVersion',
  'kind',
  'status',
]);

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Dotted paths of the leaves (maps descended, lists and scalars as leaves) that differ between a and b. */
export function changedLeaves(a: unknown, b: unknown, prefix = ''): string[] {
  if (SERVER_OWNED.has(prefix)) return [];
  if (isMap(a) || isMap(b)) {
    const left = isMap(a) ? a : {};
    const right = isMap(b) ? b : {};
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    return [...keys].flatMap((k) => changedLeaves(left[k], right[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix];
}

/** {"f:spec":{"f:replicas":{}}} ⇄ ["spec.replicas"]. */
function toFieldsV1(paths: readonly string[]): Loose {
  const root: Loose = {};
  for (const path of paths) {
    let node = root;
    for (const part of path.split('.')) node = node[`f:${part}`] ??= {};
  }
  return root;
}

function fromFieldsV1(fields: Loose, prefix = ''): string[] {
  const entries = Object.entries(fields ?? {}).filter(([k]) => k.startsWith('f:'));
  if (entries.length === 0) return prefix ? [prefix] : [];
  return entries.flatMap(([k, v]) => fromFieldsV1(v, prefix ? `${prefix}.${k.slice(2)}` : k.slice(2)));
}

export interface Writer {
  readonly manager: string;
  readonly time: string;
  readonly apiVersion: string;
  readonly subresource?: string;
}

/** The managedFields of `next` after `writer` turned `current` into it. */
export function managedFieldsAfter(current: Loose, next: Loose, writer: Writer): Loose[] {
  const changed = changedLeaves(current, next);
  const covers = (owned: string, path: string) => path === owned || path.startsWith(`${owned}.`);
  const entries: Loose[] = [];
  let mine: string[] = [];
  for (const entry of current?.metadata?.managedFields ?? []) {
    const owned = fromFieldsV1(entry.fieldsV1);
    const same =
      entry.manager === writer.manager &&
      entry.operation === 'Update' &&
      (entry.subresource ?? '') === (writer.subresource ?? '');
    if (same) {
      mine = owned;
      continue;
    }
    // A field another writer changed is no longer this manager's.
    const kept = owned.filter((o) => !changed.some((c) => covers(o, c) || covers(c, o)));
    if (kept.length > 0) entries.push({ ...entry, fieldsV1: toFieldsV1(kept) });
  }
  const owned = [...new Set([...mine.filter((m) => !changed.some((c) => covers(c, m))), ...changed])];
  if (owned.length === 0) return entries;
  return [
    ...entries,
    {
      manager: writer.manager,
      operation: 'Update',
      apiVersion: writer.apiVersion,
      time: writer.time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(owned),
      ...(writer.subresource ? { subresource: writer.subresource } : {}),
    },
  ];
}
