import { readFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { GraphSpec } from '../domain/index.ts';
import { GRAPH_FONT_FILE } from './graph-font.ts';
import { GRAPH_LAYOUT, graphOption } from './graph-option.ts';

/** The PNG is 1.5× the layout: sharp on a high-density screen, still legible in Slack's smaller preview. */
export const GRAPH_SCALE = 1.5;

export interface GraphRenderer {
  /** The PNG of a graph; throws with what is wrong when the spec cannot be drawn. */
  render(spec: GraphSpec): Uint8Array;
}

export interface GraphRendererOptions {
  /** A TrueType/OpenType file for every label; default the bundled Inter. */
  readonly fontFile?: string;
}

/**
 * Draws graphs in-process: ECharts lays the chart out as SVG (server-side rendering, no DOM), resvg turns the
 * SVG into a PNG with the bundled font. No browser, no native system libraries beyond resvg's own binary.
 */
export function createGraphRenderer(options: GraphRendererOptions = {}): GraphRenderer {
  const fontFile = options.fontFile ?? GRAPH_FONT_FILE;
  // Checked once here, so a missing font fails at start-up and not on the first incident.
  try {
    readFileSync(fontFile);
  } catch (error) {
    throw new Error(
      `Cannot read the graph font ${fontFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); reinstall Belay or point fontFile at a .ttf file`,
    );
  }
  return {
    render(spec) {
      checkSpec(spec);
      const chart = echarts.init(null, null, {
        renderer: 'svg',
        ssr: true,
        width: GRAPH_LAYOUT.width,
        height: GRAPH_LAYOUT.height,
      });
      let svg: string;
      try {
        chart.setOption(graphOption(spec));
        svg = chart.renderToSVGString();
      } finally {
        chart.dispose();
      }
      const image = new Resvg(svg, {
        fitTo: { mode: 'width', value: Math.round(GRAPH_LAYOUT.width * GRAPH_SCALE) },
        font: { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: 'Inter' },
      }).render();
      return image.asPng();
    },
  };
}

/** Refuses what would draw a misleading picture, saying what is wrong. */
function checkSpec(spec: GraphSpec): void {
  const from = Date.parse(spec.from);
  const to = Date.parse(spec.to);
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to)
    throw new Error(`the graph's span ${spec.from} – ${spec.to} is not a time range`);
  if (!Number.isFinite(Date.parse(spec.now))) throw new Error(`"now" (${spec.now}) is not a time`);
  if (spec.samples.length === 0) throw new Error(`there are no samples of ${spec.metric} to draw`);
  const bad = spec.samples.find((s) => !Number.isFinite(s.value) || !Number.isFinite(Date.parse(s.at)));
  if (bad) throw new Error(`a sample of ${spec.metric} at ${bad.at} is ${bad.value}, which cannot be drawn`);
  for (const w of spec.windows) {
    if (!(Date.parse(w.start) < Date.parse(w.end)))
      throw new Error(`window ${w.name} runs from ${w.start} to ${w.end}, which is not a time range`);
  }
}
