import { formatDuration, formatGraphValue, type GraphSpec } from '../domain/index.ts';
import { formatGraphTime } from './graph-format.ts';

/**
 * Where the plot sits inside the picture, in SVG pixels before scaling: the tests sample pixels by it, so a
 * change here is a change of the picture's contract.
 */
export const GRAPH_LAYOUT = {
  width: 960,
  height: 480,
  grid: { left: 88, right: 40, top: 92, bottom: 48 },
} as const;

/**
 * Colours that read on Slack's light and dark themes alike: the picture brings its own dark background,
 * so neither theme washes it out, and every colour stays distinct for the common colour-vision deficiencies.
 */
export const GRAPH_COLOURS = {
  background: '#1a1d21',
  text: '#e8e8e8',
  muted: '#a0a3a8',
  grid: '#34383e',
  series: '#4fa3ff',
  threshold: '#f2a541',
  limit: '#ff5c7a',
  window: 'rgba(46, 182, 125, 0.30)',
  windowLabel: '#6fdcaa',
  alert: '#f2a541',
  now: '#ffffff',
} as const;

/** The ECharts option that draws a GraphSpec: pure, so a test can read what will be drawn. */
export function graphOption(spec: GraphSpec): Record<string, unknown> {
  const c = GRAPH_COLOURS;
  const values = spec.samples.map((s) => s.value);
  const top = Math.max(0, ...values, spec.threshold?.value ?? 0, spec.limit ?? 0);
  const yMax = niceCeiling(top * 1.12 || 1);
  const format = (v: number) => formatGraphValue(v, spec.unit);
  // Both labels sit above the plot, "now" reading rightwards from its line and the alert's start leftwards
  // from its own, so two instants a minute apart never print over each other.
  const vertical = (at: string, label: string, colour: string, align: 'left' | 'right') => ({
    xAxis: Date.parse(at),
    label: { formatter: label, color: colour, position: 'end', align, fontSize: 13, distance: 4 },
    lineStyle: { color: colour, type: 'solid', width: 2 },
  });
  const horizontal = (value: number, label: string, colour: string) => ({
    yAxis: value,
    label: { formatter: label, color: colour, position: 'insideStartTop', fontSize: 13 },
    lineStyle: { color: colour, type: 'dashed', width: 2 },
  });
  const lines: Record<string, unknown>[] = [];
  const t = spec.threshold;
  if (t) {
    const label = `rule ${t.rule}: ${t.direction} ${format(t.value)} for ${formatDuration(t.forMs)}`;
    lines.push(horizontal(t.value, label, c.threshold));
  }
  if (spec.limit !== undefined)
    lines.push(horizontal(spec.limit, `memory limit ${format(spec.limit)}`, c.limit));
  if (spec.alertStart && spec.alertStart >= spec.from && spec.alertStart <= spec.to)
    lines.push(vertical(spec.alertStart, `alert ${formatGraphTime(spec.alertStart)}`, c.alert, 'right'));
  lines.push(vertical(spec.now, `now ${formatGraphTime(spec.now)}`, c.now, 'left'));

  const from = Date.parse(spec.from);
  const to = Date.parse(spec.to);
  const areas = spec.windows.map((w) => {
    const start = Math.max(Date.parse(w.start), from);
    const end = Math.min(Date.parse(w.end), to);
    // The name reads from the window's edge nearest the middle of the picture, so it never runs off it.
    const rightHalf = (start + end) / 2 > (from + to) / 2;
    return [
      {
        name: `${w.kind} window ${w.name} until ${formatGraphTime(w.end)}`,
        xAxis: start,
        label: {
          color: c.windowLabel,
          fontSize: 13,
          position: rightHalf ? 'insideTopRight' : 'insideTopLeft',
          distance: 8,
        },
      },
      { xAxis: end },
    ];
  });

  return {
    animation: false,
    useUTC: true,
    backgroundColor: c.background,
    textStyle: { fontFamily: 'Inter', color: c.text },
    title: {
      text: spec.title,
      left: GRAPH_LAYOUT.grid.left,
      top: 16,
      textStyle: { color: c.text, fontSize: 18, fontWeight: 'normal' },
      subtext: `${formatGraphTime(spec.from)} – ${formatGraphTime(spec.to)} · ${spec.metric}`,
      subtextStyle: { color: c.muted, fontSize: 13 },
    },
    grid: { ...GRAPH_LAYOUT.grid },
    xAxis: {
      type: 'time',
      min: from,
      max: to,
      axisLabel: { color: c.muted, fontSize: 13, formatter: '{HH}:{mm}', hideOverlap: true },
      axisLine: { lineStyle: { color: c.grid } },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: yMax,
      axisLabel: { color: c.muted, fontSize: 13, formatter: format },
      splitLine: { lineStyle: { color: c.grid } },
    },
    series: [
      {
        type: 'line',
        name: spec.metric,
        showSymbol: false,
        data: spec.samples.map((s) => [Date.parse(s.at), s.value]),
        lineStyle: { color: c.series, width: 2.5 },
        areaStyle: { color: 'rgba(79, 163, 255, 0.12)' },
        markArea: { silent: true, itemStyle: { color: c.window }, data: areas },
        markLine: { silent: true, symbol: 'none', data: lines },
      },
    ],
  };
}

/** 6.9e9 → 7e9, 1234 → 1500: a round top for the y axis, so its labels are round too. */
function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 10]) {
    if (step * magnitude >= value) return step * magnitude;
  }
  return 10 * magnitude;
}
