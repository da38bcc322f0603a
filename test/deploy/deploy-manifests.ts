import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const DEPLOY = new URL('../../deploy/', import.meta.url).pathname;

// biome-ignore lint/suspicious/noExplicitAny: manifests are arbitrary YAML until validated
export type Manifest = Record<string, any>;

/** Every object in deploy/*.yaml (the kustomization is not an object the cluster stores). */
export async function loadManifests(): Promise<Manifest[]> {
  const files = (await readdir(DEPLOY)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
  const docs: Manifest[] = [];
  for (const file of files.sort()) {
    for (const doc of parseAllDocuments(await readFile(join(DEPLOY, file), 'utf8'))) {
      assert.deepEqual(doc.errors, [], file);
      docs.push(doc.toJS() as Manifest);
    }
  }
  return docs;
}
