export { formatGraphTime } from './graph-format.ts';
export { GRAPH_COLOURS, GRAPH_LAYOUT, graphOption } from './graph-option.ts';
export {
  createGraphRenderer,
  GRAPH_FONT_FILE,
  GRAPH_SCALE,
  type GraphRenderer,
  type GraphRendererOptions,
} from './render-graph.ts';
