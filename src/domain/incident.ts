import { z } from 'zod';
import { clusterNameSchema, labelsSchema, namespaceSchema, workloadRefSchema } from './names.ts';

/** Alerts about one workload in one namespace of one cluster, within a time window, are one incident. */
export const incidentSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: z.string().min(1),
    key: z.string().min(1),
    cluster: clusterNameSchema,
    namespace: namespaceSchema,
    workload: workloadRefSchema.optional(),
    title: z.string(),
    status: z.enum(['open', 'resolved']),
    /** Fingerprints of the alerts it groups, with whether each is still firing. */
    alerts: z.record(z.string(), z.enum(['firing', 'resolved'])),
    /** The labels of each alert it groups, by fingerprint: what Alertmanager silences are matched against. */
    alertLabels: z.record(z.string(), labelsSchema).optional(),
    openedAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
    resolvedAt: z.iso.datetime({ offset: true }).optional(),
    /** Part of an alert storm: many workloads failing at once point to a shared cause; nothing runs automatically. */
    storm: z.boolean(),
    /** The alert's own Slack message, when the alert was read from a channel: Belay answers in its thread. */
    slackThread: z.object({ channel: z.string(), ts: z.string() }).strict().optional(),
    /**
     * Belay's incident message, updated in place as its proposal moves, the thread its events go to, and the
     * graph in that thread the message points at (kept so a restart does not drop the pointer).
     */
    slackMessage: z
      .object({
        channel: z.string(),
        ts: z.string(),
        threadTs: z.string(),
        graph: z
          .object({ fileId: z.string(), title: z.string(), permalink: z.string().optional() })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type Incident = z.infer<typeof incidentSchema>;
