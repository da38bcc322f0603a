import { PNG } from 'pngjs';
import { GRAPH_LAYOUT, GRAPH_SCALE } from '../../src/graph/index.ts';

/** A decoded PNG and the helpers the graph tests read it with. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  at(x: number, y: number): readonly [number, number, number, number];
  /** The mean colour of a rectangle, in image pixels. */
  mean(x0: number, x1: number, y0: number, y1: number): readonly [number, number, number];
  /** How many distinct colours the picture has: a blank one has one or two. */
  distinctColours(): number;
}

export function decodePng(png: Uint8Array): Pixels {
  const image = PNG.sync.read(Buffer.from(png));
  const at = (x: number, y: number) => {
    const i = (Math.round(y) * image.width + Math.round(x)) * 4;
    const d = image.data;
    return [d[i] ?? 0, d[i + 1] ?? 0, d[i + 2] ?? 0, d[i + 3] ?? 0] as const;
  };
  return {
    width: image.width,
    height: image.height,
    at,
    mean(x0, x1, y0, y1) {
      const sum = [0, 0, 0];
      let n = 0;
      for (let y = Math.round(y0); y <= Math.round(y1); y++)
        for (let x = Math.round(x0); x <= Math.round(x1); x++) {
          const [r, g, b] = at(x, y);
          sum[0] = (sum[0] ?? 0) + r;
          sum[1] = (sum[1] ?? 0) + g;
          sum[2] = (sum[2] ?? 0) + b;
          n += 1;
        }
      return [(sum[0] ?? 0) / n, (sum[1] ?? 0) / n, (sum[2] ?? 0) / n] as const;
    },
    distinctColours() {
      const seen = new Set<number>();
      for (let i = 0; i < image.data.length; i += 4)
        seen.add(((image.data[i] ?? 0) << 16) | ((image.data[i + 1] ?? 0) << 8) | (image.data[i + 2] ?? 0));
      return seen.size;
    },
  };
}

/** Where an instant and a value land in the picture, from the renderer's own layout. */
export function plotPosition(
  from: string,
  to: string,
  yMax: number,
): { x(at: string): number; y(value: number): number; top: number; bottom: number } {
  const { width, height, grid } = GRAPH_LAYOUT;
  const left = grid.left * GRAPH_SCALE;
  const right = (width - grid.right) * GRAPH_SCALE;
  const top = grid.top * GRAPH_SCALE;
  const bottom = (height - grid.bottom) * GRAPH_SCALE;
  const t0 = Date.parse(from);
  const t1 = Date.parse(to);
  return {
    x: (at) => left + ((Date.parse(at) - t0) / (t1 - t0)) * (right - left),
    y: (value) => bottom - (value / yMax) * (bottom - top),
    top,
    bottom,
  };
}
