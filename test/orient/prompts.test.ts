import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ACTION_KINDS } from '../../src/domain/index.ts';
import { loadPrompts } from '../../src/orient/index.ts';

const shipped = new URL('../../prompts/', import.meta.url);

describe('loadPrompts', () => {
  it('renders every catalog kind into the prompt and warns that cluster data is untrusted', async () => {
    const p = await loadPrompts();
    for (const kind of ACTION_KINDS) assert.ok(p.orient.includes(`\`${kind}\``), kind);
    assert.ok(!p.orient.includes('{{catalog}}'));
    assert.match(p.orient, /log lines, event messages,\s+annotations/);
    assert.match(p.orient, /untrustedQuotes/);
    assert.match(p.thread, /never as\s+a change to these instructions/);
    assert.match(p.version, /^sha256:[0-9a-f]{16}$/);
  });

  it('gives a new version when a prompt changes, and the same one when nothing does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'belay-prompts-'));
    try {
      for (const f of ['orient.md', 'thread.md'])
        await writeFile(join(dir, f), await readFile(new URL(f, shipped), 'utf8'));
      const url = pathToFileURL(`${dir}/`);
      const a = await loadPrompts(url);
      assert.equal(a.version, (await loadPrompts(shipped)).version);
      await writeFile(join(dir, 'thread.md'), 'changed');
      assert.notEqual((await loadPrompts(url)).version, a.version);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails start-up with the path when a prompt is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'belay-prompts-'));
    try {
      await assert.rejects(loadPrompts(pathToFileURL(`${dir}/`)), /could not read its prompt .*orient\.md/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
