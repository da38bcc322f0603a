// The graph renderer's own process, started by graph-process.ts. Drawing runs here so it never blocks
// Belay's event loop (webhook acknowledgements, Slack clicks), and the memory rasterising takes goes back
// to the system when this process exits after a quiet spell.
import type { GraphSpec } from '../domain/index.ts';
import { createGraphRenderer, type GraphRenderer } from './render-graph.ts';

/** What the parent sends: one graph to draw. */
export interface RenderRequest {
  readonly id: number;
  readonly spec: GraphSpec;
  readonly fontFile?: string;
}

/** What comes back: the PNG, or why there is none. */
export type RenderReply =
  | { readonly id: number; readonly png: Uint8Array }
  | { readonly id: number; readonly error: string };

if (import.meta.main && process.send) {
  let renderer: GraphRenderer | undefined;
  process.on('message', (request: RenderRequest) => {
    let reply: RenderReply;
    try {
      renderer ??= createGraphRenderer(request.fontFile ? { fontFile: request.fontFile } : {});
      reply = { id: request.id, png: renderer.render(request.spec) };
    } catch (error) {
      reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
    }
    process.send?.(reply);
  });
  // The parent went away (it stopped, or crashed): nothing is left to draw for.
  process.on('disconnect', () => process.exit(0));
}
