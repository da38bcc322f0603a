import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/index.ts';
import { tempDir } from '../govern/store/temp-dir.ts';
import { decodePng, type Pixels, plotPosition } from '../support/png-pixels.ts';

const STORY = ['simulate', '--config', 'examples/belay.yaml', '--scenario', 'examples/story/story.yaml'];

/** A terminal that reads the repository's files and writes real ones. */
function terminal(write = true) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (line: string) => out.push(line),
    stderr: (line: string) => err.push(line),
    readFile: (path: string) => readFile(path, 'utf8'),
    ...(write
      ? {
          writeFile: async (path: string, data: Uint8Array) => {
            await mkdir(dirname(path), { recursive: true });
            await writeFile(path, data);
          },
        }
      : {}),
  };
  return { io, out, err };
}

/** The green of the backup window's band, against the same band two hours earlier. */
function windowTint(pixels: Pixels, from: string, to: string, day: string) {
  const plot = plotPosition(from, to, 7e9);
  const band = [plot.top + 40, plot.top + 60] as const;
  const inside = pixels.mean(plot.x(`${day}T02:25:00Z`), plot.x(`${day}T02:40:00Z`), ...band);
  const before = pixels.mean(plot.x(`${day}T00:00:00Z`), plot.x(`${day}T01:00:00Z`), ...band);
  return inside[1] - before[1];
}

describe('belay simulate --graph', () => {
  it('writes the 02:17 picture (backup window shaded, now inside it) and the 14:00 one (no window), and says why the rest have none', async (t) => {
    const dir = await tempDir(t);
    const { io, out, err } = terminal();
    assert.equal(await runCli([...STORY, '--graph', dir], io), 0, err.join('\n'));
    assert.deepEqual((await readdir(dir)).sort(), ['01-0217-postgres-0.png', '02-1400-postgres-0.png']);
    const text = out.join('\n');
    assert.match(text, new RegExp(`📈 graph: ${join(dir, '01-0217-postgres-0.png')}`));
    assert.match(
      text,
      /📈 no graph: the facts snapshot has no samples of container_memory_working_set_bytes/,
    );

    const night = decodePng(await readFile(join(dir, '01-0217-postgres-0.png')));
    assert.deepEqual([night.width, night.height], [1440, 720]);
    assert.ok(night.distinctColours() > 100, 'not blank');
    assert.ok(
      windowTint(night, '2026-03-13T20:17:00Z', '2026-03-14T03:02:00Z', '2026-03-14') > 25,
      'shaded at 02:25–02:40',
    );

    // At 14:00 no window covers postgres-0: the band where a window would be is as dark as the rest.
    const afternoon = decodePng(await readFile(join(dir, '02-1400-postgres-0.png')));
    const plot = plotPosition('2026-03-14T08:00:00Z', '2026-03-14T14:45:00Z', 7e9);
    const band = [plot.top + 40, plot.top + 60] as const;
    const [, late] = afternoon.mean(plot.x('2026-03-14T14:05:00Z'), plot.x('2026-03-14T14:40:00Z'), ...band);
    const [, early] = afternoon.mean(plot.x('2026-03-14T10:00:00Z'), plot.x('2026-03-14T11:00:00Z'), ...band);
    assert.ok(Math.abs(late - early) < 4, `no shading at 14:00 (${late} vs ${early})`);
  });

  it('the README picture in docs/graphs is what simulate draws today (npm run simulate:graphs redraws it)', async (t) => {
    const dir = await tempDir(t);
    const { io } = terminal();
    assert.equal(await runCli([...STORY, '--graph', dir], io), 0);
    for (const name of ['01-0217-postgres-0.png', '02-1400-postgres-0.png']) {
      const fresh = decodePng(await readFile(join(dir, name)));
      const kept = decodePng(await readFile(join('docs/graphs', name)));
      assert.deepEqual([kept.width, kept.height], [fresh.width, fresh.height]);
      const a = kept.mean(0, kept.width - 1, 0, kept.height - 1);
      const b = fresh.mean(0, fresh.width - 1, 0, fresh.height - 1);
      for (const i of [0, 1, 2] as const)
        assert.ok(Math.abs(a[i] - b[i]) < 0.5, `docs/graphs/${name} is stale: run npm run simulate:graphs`);
    }
  });

  it('refuses a missing folder, a terminal that cannot write, and a folder it cannot create, saying which', async () => {
    const empty = terminal();
    assert.equal(await runCli([...STORY, '--graph', ''], empty.io), 2);
    assert.match(empty.err.join('\n'), /--graph needs a folder to write the graphs to/);

    const readOnly = terminal(false);
    assert.equal(await runCli([...STORY, '--graph', 'out'], readOnly.io), 2);
    assert.match(readOnly.err.join('\n'), /this terminal cannot write files/);

    const blocked = terminal();
    assert.equal(await runCli([...STORY, '--graph', '/dev/null/graphs'], blocked.io), 1);
    assert.match(blocked.err.join('\n'), /step "02:17 — postgres-0 at 6\.2 GB.*ENOTDIR/);
  });
});
