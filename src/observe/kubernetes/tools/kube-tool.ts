import type { z } from 'zod';
import type { ReadTool, ReadToolResult } from '../../read-tool.ts';
import { toolError, unknownCluster } from '../tool-error.ts';
import { type KubernetesToolDeps, type ToolEnv, toolEnv } from './tool-deps.ts';

interface KubeToolSpec<I extends z.ZodType> {
  readonly name: string;
  readonly description: string;
  readonly input: I;
  run(input: z.infer<I>, env: ToolEnv): Promise<ReadToolResult>;
}

/** A ReadTool bound to the incident's cluster; a failed read comes back as data for the model. */
export function kubeTool<I extends z.ZodType>(deps: KubernetesToolDeps, spec: KubeToolSpec<I>): ReadTool<I> {
  return {
    name: spec.name,
    description: spec.description,
    input: spec.input,
    async run(input, context) {
      const reader = deps.readerFor(context.cluster);
      if (!reader) return unknownCluster(context.cluster);
      try {
        return await spec.run(input, toolEnv(deps, reader));
      } catch (error) {
        return toolError(spec.name, error);
      }
    },
  };
}
