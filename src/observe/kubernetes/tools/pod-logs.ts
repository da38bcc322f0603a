import { z } from 'zod';
import { namespaceSchema, objectNameSchema } from '../../../domain/index.ts';
import { kubeTool } from './kube-tool.ts';
import type { KubernetesToolDeps } from './tool-deps.ts';

const input = z
  .object({
    namespace: namespaceSchema,
    pod: objectNameSchema,
    container: z.string().max(253).optional(),
    previous: z
      .boolean()
      .default(false)
      .describe('the last terminated instance: what crashed or was OOMKilled'),
    tailLines: z.number().int().min(1).max(2_000).optional(),
  })
  .strict();

export function podLogs(deps: KubernetesToolDeps) {
  return kubeTool(deps, {
    name: 'pod_logs',
    description: 'The last lines of a pod container log, secrets redacted.',
    input,
    async run({ namespace, pod, container, previous, tailLines }, env) {
      const lines = Math.min(tailLines ?? env.limits.logLines, env.limits.logLines);
      const raw = await env.reader.log(namespace, pod, {
        container,
        previous,
        tailLines: lines,
        limitBytes: env.limits.logBytes,
      });
      const text = env.deps.redact(raw);
      const cut = Buffer.byteLength(raw) >= env.limits.logBytes;
      return {
        data: {
          namespace,
          pod,
          container,
          previous,
          lines: text.split('\n').filter(Boolean).length,
          text,
        },
        ...(cut ? { truncated: `log cut at ${env.limits.logBytes} bytes of the last ${lines} lines` } : {}),
      };
    },
  });
}
