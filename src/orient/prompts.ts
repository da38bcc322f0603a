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

/**
 * The catalog as the model reads it, rendered from the domain so the prompt can never list a stale kind.
 * Only the titles: the fields of each kind are in the submit_findings schema, made from the same zod.
 */
export function renderCatalog(): string {
  return ACTION_KINDS.map((kind) => `- \`${kind}\`: ${CATALOG[kind].title}.`).join('\n');
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
