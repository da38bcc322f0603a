export { GRAPH_FONT_FILE } from './graph-font.ts';
export { formatGraphTime } from './graph-format.ts';
export { GRAPH_COLOURS, GRAPH_LAYOUT, graphOption } from './graph-option.ts';
export { createGraphProcess, type GraphProcess, type GraphProcessOptions } from './graph-process.ts';
export {
  createGraphRenderer,
  GRAPH_SCALE,
  type GraphRenderer,
  type GraphRendererOptions,
} from './render-graph.ts';
