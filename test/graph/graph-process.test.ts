import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGraphProcess } from '../../src/graph/index.ts';
import { storyGraphSpec } from '../support/graph-fixtures.ts';
import { decodePng } from '../support/png-pixels.ts';

const until = async (what: string, check: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('graph process', () => {
  it('draws in a child process started on demand, which exits after a quiet spell', async () => {
    const graphs = createGraphProcess({ idleMs: 100 });
    try {
      assert.equal(graphs.running, false, 'nothing runs before the first graph');
      const png = await graphs.render(storyGraphSpec());
      assert.equal(decodePng(png).width, 1440);
      await until('the child to exit after the quiet spell', () => !graphs.running);
      // The next graph starts it again.
      assert.equal(decodePng(await graphs.render(storyGraphSpec())).height, 720);
    } finally {
      await graphs.close();
    }
  });

  it("passes the renderer's refusal back, and keeps drawing after it", async () => {
    const graphs = createGraphProcess();
    try {
      await assert.rejects(graphs.render(storyGraphSpec({ samples: [] })), /no samples of container_memory/);
      assert.ok((await graphs.render(storyGraphSpec())).length > 1_000);
    } finally {
      await graphs.close();
    }
  });

  it('replaces a child after its quota of graphs, so its memory cannot grow without bound', async () => {
    const graphs = createGraphProcess({ graphsPerChild: 1 });
    try {
      await graphs.render(storyGraphSpec());
      assert.equal(graphs.running, false, 'stopped once its one graph was answered');
      assert.ok((await graphs.render(storyGraphSpec())).length > 1_000, 'a fresh child draws the next');
    } finally {
      await graphs.close();
    }
  });

  it('abandons a graph that takes too long and stops the child', async () => {
    const slow = createGraphProcess({ timeoutMs: 1 });
    try {
      await assert.rejects(
        slow.render(storyGraphSpec()),
        /drawing took longer than 1 ms, so it was abandoned/,
      );
      assert.equal(slow.running, false);
    } finally {
      await slow.close();
    }
  });

  it('refuses to start without its font, and refuses graphs once closed', async () => {
    assert.throws(
      () => createGraphProcess({ fontFile: '/nonexistent/font.ttf' }),
      /Cannot read the graph font .*ENOENT/,
    );
    const graphs = createGraphProcess();
    await graphs.close();
    await assert.rejects(graphs.render(storyGraphSpec()), /Belay is stopping, so no graph is drawn/);
  });
});
