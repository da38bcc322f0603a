import { z } from 'zod';
import { tokenEnvSchema } from './prometheus.ts';

/** One agent (an MCP client) Belay serves: its name is who it is in the audit and on the proposal card. */
const mcpClientSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be a short name such as alice-laptop (a-z, 0-9, . _ -)'),
    /** The environment variable holding this client's bearer token for the HTTP endpoint. */
    tokenEnv: tokenEnvSchema.optional(),
  })
  .strict();

/**
 * `mcp:` in belay.yaml: agents that speak the Model Context Protocol may read through Belay's tools, ask for
 * an explanation, and propose an action that a human approves in Slack. Absent: no MCP endpoint in the bot;
 * `belay mcp` refuses to start.
 */
export const mcpSectionSchema = z
  .object({
    clients: z.array(mcpClientSchema).min(1),
    /** The Streamable HTTP endpoint the running bot serves, where propose_action is available. */
    http: z
      .object({
        enabled: z.boolean().default(false),
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(8093),
      })
      .strict()
      .prefault({}),
    /** Per client, sliding windows. */
    limits: z
      .object({
        callsPerMinute: z.number().int().min(1).max(10_000).default(60),
        proposalsPerHour: z.number().int().min(0).max(1_000).default(5),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((section, ctx) => {
    const seen = new Set<string>();
    section.clients.forEach((client, i) => {
      if (seen.has(client.name))
        ctx.addIssue({
          code: 'custom',
          path: ['clients', i, 'name'],
          message: `"${client.name}" is named twice`,
        });
      seen.add(client.name);
    });
  });
export type McpSection = z.infer<typeof mcpSectionSchema>;

export interface McpClientToken {
  readonly name: string;
  readonly token: string;
}

/** Each client's bearer token, read from the variable it names; `missing` lists what is unset. */
export function mcpTokensFromEnv(
  section: McpSection,
  env: Readonly<Record<string, string | undefined>>,
):
  | { readonly ok: true; readonly tokens: McpClientToken[] }
  | { readonly ok: false; readonly missing: string[] } {
  const tokens: McpClientToken[] = [];
  const missing: string[] = [];
  for (const client of section.clients) {
    if (!client.tokenEnv) continue;
    const token = env[client.tokenEnv]?.trim();
    if (token) tokens.push({ name: client.name, token });
    else missing.push(client.tokenEnv);
  }
  return missing.length > 0 ? { ok: false, missing } : { ok: true, tokens };
}
