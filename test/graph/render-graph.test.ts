import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createGraphRenderer,
  GRAPH_COLOURS,
  GRAPH_LAYOUT,
  GRAPH_SCALE,
  graphOption,
} from '../../src/graph/index.ts';
import { storyGraphSpec } from '../support/graph-fixtures.ts';
import { decodePng, plotPosition } from '../support/png-pixels.ts';

const renderer = createGraphRenderer();
const hex = (colour: string) => [1, 3, 5].map((i) => Number.parseInt(colour.slice(i, i + 2), 16));

describe('graph renderer', () => {
  it('draws the 02:17 picture as a PNG of the layout size that is not blank', () => {
    const png = renderer.render(storyGraphSpec());
    assert.deepEqual([...png.subarray(1, 4)].map((b) => String.fromCharCode(b)).join(''), 'PNG');
    const pixels = decodePng(png);
    assert.equal(pixels.width, GRAPH_LAYOUT.width * GRAPH_SCALE);
    assert.equal(pixels.height, GRAPH_LAYOUT.height * GRAPH_SCALE);
    // A blank or background-only image has a handful of colours; text, lines and shading give hundreds.
    assert.ok(pixels.distinctColours() > 100, `only ${pixels.distinctColours()} colours`);
  });

  it('shades the backup window where the window is, and nowhere else', () => {
    const spec = storyGraphSpec();
    const pixels = decodePng(renderer.render(spec));
    const plot = plotPosition(spec.from, spec.to, 10e9);
    // A band between the 8 GB limit and the top, where no series or threshold line runs.
    const y0 = plot.y(8.7e9);
    const y1 = plot.y(8.3e9);
    const windowStart = plot.x('2026-03-14T02:00:00Z');
    const nowX = plot.x(spec.now);
    const windowEnd = plot.x('2026-03-14T02:45:00Z');
    // Inside the window, clear of the "now" and alert lines.
    const inside = pixels.mean(nowX + 8, windowEnd - 6, y0, y1);
    const outside = pixels.mean(plot.x('2026-03-13T21:00:00Z'), windowStart - 40, y0, y1);
    const after = pixels.mean(windowEnd + 4, plot.x(spec.to) - 2, y0, y1);
    const background = hex(GRAPH_COLOURS.background);
    for (const [i, v] of outside.entries())
      assert.ok(Math.abs(v - (background[i] ?? 0)) < 6, `outside ${outside}`);
    for (const [i, v] of after.entries()) assert.ok(Math.abs(v - (background[i] ?? 0)) < 6, `after ${after}`);
    // The window's green tint: green well above the background, and above red.
    assert.ok(inside[1] > (background[1] ?? 0) + 25, `inside ${inside}`);
    assert.ok(inside[1] > inside[0] + 20, `inside ${inside}`);
  });

  it('shades nothing when no window covers the target', () => {
    const spec = storyGraphSpec({ windows: [] });
    const pixels = decodePng(renderer.render(spec));
    const plot = plotPosition(spec.from, spec.to, 10e9);
    const band = pixels.mean(
      plot.x('2026-03-14T02:20:00Z'),
      plot.x('2026-03-14T02:40:00Z'),
      plot.y(8.7e9),
      plot.y(8.3e9),
    );
    const background = hex(GRAPH_COLOURS.background);
    for (const [i, v] of band.entries())
      assert.ok(Math.abs(v - (background[i] ?? 0)) < 6, `no window, yet ${band}`);
  });

  it("names the window, the rule's threshold, the limit, the alert's start and now in what it draws", () => {
    const option = JSON.stringify(graphOption(storyGraphSpec()));
    for (const text of [
      'backup window postgres-nightly-backup until 02:45 UTC',
      'rule memory-pressure-restart: above 5 GB for 1m',
      'memory limit 8 GB',
      'alert 02:16 UTC',
      'now 02:17 UTC',
    ])
      assert.ok(option.includes(text), `missing "${text}"`);
  });

  it('refuses what it cannot draw, saying what is wrong', () => {
    const cases: [Parameters<typeof storyGraphSpec>[0], RegExp][] = [
      [{ samples: [] }, /no samples of container_memory_working_set_bytes/],
      [{ from: '2026-03-14T03:00:00Z', to: '2026-03-14T02:00:00Z' }, /is not a time range/],
      [{ samples: [{ at: '2026-03-14T02:00:00Z', value: Number.NaN }] }, /at 2026-03-14T02:00:00Z is NaN/],
      [{ now: 'soon' }, /"now" \(soon\) is not a time/],
      [
        {
          windows: [
            { name: 'w', kind: 'backup', start: '2026-03-14T02:45:00Z', end: '2026-03-14T02:00:00Z' },
          ],
        },
        /window w runs from .* which is not a time range/,
      ],
    ];
    for (const [overrides, message] of cases)
      assert.throws(() => renderer.render(storyGraphSpec(overrides)), message);
  });

  it('says which font file is missing instead of drawing without text', () => {
    assert.throws(
      () => createGraphRenderer({ fontFile: '/nonexistent/font.ttf' }),
      /Cannot read the graph font \/nonexistent\/font\.ttf \(ENOENT\)/,
    );
  });
});
