import { z } from 'zod';
import { actorSchema } from './proposal.ts';

export const AUDIT_SCHEMA_VERSION = 1;

export const AUDIT_TYPES = [
  'alert.received',
  'incident.opened',
  'incident.resolved',
  'facts.gathered',
  'model.reasoning',
  'proposal.created',
  'verdict',
  'proposal.approved',
  'proposal.rejected',
  'proposal.expired',
  'approval.refused',
  'execution.started',
  'execution.finished',
  'revert.started',
  'revert.finished',
  'freeze.changed',
  'pause.changed',
  /** Whether an action that ran fixed its alert: fixed, did not fix, or only postponed it. */
  'outcome.measured',
  /** A human's 👍 / 👎 on what a dry-run rule would have done. */
  'rule.reviewed',
  /** A rule's mode raised by an operator (/remediate promote), or lowered by Belay after trouble. */
  'rule.promoted',
  'rule.demoted',
  /** A tool call from an MCP client (an agent), under the client's name. */
  'mcp.call',
  'error',
] as const;
export const auditTypeSchema = z.enum(AUDIT_TYPES);
export type AuditType = z.infer<typeof auditTypeSchema>;

/** One line of the audit trail. Append-only; validated when read back. */
export const auditEventSchema = z
  .object({
    schemaVersion: z.literal(AUDIT_SCHEMA_VERSION),
    /** Position in the log, from 1, gap-free: a missing number is a lost record. */
    seq: z.number().int().positive(),
    at: z.iso.datetime({ offset: true }),
    type: auditTypeSchema,
    actor: actorSchema,
    incidentId: z.string().optional(),
    proposalId: z.string().optional(),
    /** Version (content hash) of the prompts behind any model output in this record. */
    promptVersion: z.string().optional(),
    summary: z.string(),
    data: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type AuditEvent = z.infer<typeof auditEventSchema>;
/** What a caller hands to the log; the log assigns the sequence number and schema version. */
export type AuditInput = Omit<z.input<typeof auditEventSchema>, 'seq' | 'schemaVersion'>;
