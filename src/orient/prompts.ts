import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ACTION_KINDS, CATALOG } from '../domain/index.ts';

export interface Prompts {
  /** Investigating a new incident. */
  readonly orient: string;
  /** Answering a question in an incident's thread. */
  readonly thread: string;
  /** `sha256:<16 hex>` of the rendered prompts: recorded with every result and audit record. */
  readonly version: string;
}

const FILES = { orient: 'orient.md', thread: 'thread.md' } as const;

/** The catalog as the model reads it, rendered from the domain so the prompt can never list a stale kind. */
export function renderCatalog(): string {
  const fields: Record<(typeof ACTION_KINDS)[number], string> = {
    'restart-pod': 'target {cluster, namespace, pod}',
    'rollout-restart': 'target {cluster, namespace, workloadKind: Deployment|StatefulSet, name}',
    'rollback-deployment': 'target {cluster, namespace, name}, optional toRevision',
    scale: 'target {cluster, namespace, workloadKind: Deployment|StatefulSet, name}, replicas',
    'patch-configmap': 'target {cluster, namespace, name}, data {key: value|null}',
  };
  return ACTION_KINDS.map((kind) => `- \`${kind}\`: ${CATALOG[kind].title}. Fields: ${fields[kind]}.`).join(
    '\n',
  );
}

/** Reads prompts/*.md once at start; a missing file fails start-up with its path. */
export async function loadPrompts(dir: URL = new URL('../../prompts/', import.meta.url)): Promise<Prompts> {
  const catalog = renderCatalog();
  const read = async (file: string): Promise<string> => {
    const url = new URL(file, dir);
    try {
      return (await readFile(url, 'utf8')).replaceAll('{{catalog}}', catalog);
    } catch (cause) {
      throw new Error(
        `Belay could not read its prompt ${url.pathname}; the image or checkout is incomplete`,
        {
          cause,
        },
      );
    }
  };
  const orient = await read(FILES.orient);
  const thread = await read(FILES.thread);
  const hash = createHash('sha256').update(orient).update('\0').update(thread).digest('hex');
  return { orient, thread, version: `sha256:${hash.slice(0, 16)}` };
}
