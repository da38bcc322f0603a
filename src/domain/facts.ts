import { z } from 'zod';
import { actionKindSchema } from './action.ts';
import { clusterNameSchema, labelsSchema, namespaceSchema, workloadRefSchema } from './names.ts';
import { ruleModeSchema } from './policy.ts';
import { recurringPatternSchema } from './recurring-pattern.ts';
import { suggestedWindowSchema } from './suggest-window.ts';

const instant = z.iso.datetime({ offset: true });

/**
 * One occurrence of a window (maintenance, backup, freeze) that covers or is near the decision time,
 * already matched to the target by whoever gathered the facts. `source` says where it came from,
 * so a verdict can tell the engineer which calendar to look at.
 */
export const windowOccurrenceSchema = z
  .object({
    name: z.string().min(1),
    kind: z.enum(['maintenance', 'backup', 'freeze']),
    start: instant,
    end: instant,
    /** Action kinds it blocks; 'all' blocks every catalog action. */
    blocks: z.union([z.literal('all'), z.array(actionKindSchema).min(1)]),
    source: z
      .object({
        type: z.enum([
          'config',
          'cronjob',
          'backup-job',
          'alertmanager-silence',
          'pagerduty',
          'unreachable-calendar',
        ]),
        ref: z.string(),
      })
      .strict(),
    /** A backup Job seen in the cluster: running (the window holds until it ends) or recently ended. */
    job: z
      .object({
        name: z.string().min(1),
        startedAt: instant,
        state: z.enum(['running', 'succeeded', 'failed']),
        endedAt: instant.optional(),
        /** How long recent successful runs took (the longest of them), when any is known. */
        recentRunMs: z.number().nonnegative().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type WindowOccurrence = z.infer<typeof windowOccurrenceSchema>;

/** An action Belay executed, as the rate limiter counts it. */
export const ledgerEntrySchema = z
  .object({
    at: instant,
    kind: actionKindSchema,
    cluster: clusterNameSchema,
    namespace: namespaceSchema,
    workload: z.string().optional(),
    pod: z.string().optional(),
    proposalId: z.string(),
  })
  .strict();
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

/**
 * A restart of the target that Kubernetes shows, whoever caused it: a container restart, the pod recreated
 * (deleted by hand, evicted, rescheduled), or its workload restarted or rolled to a new revision. Belay's
 * own actions are in the ledger; the policy reads both.
 */
export const observedRestartSchema = z
  .object({
    at: instant,
    source: z.enum(['container', 'pod-recreated', 'rollout-restart', 'new-revision']),
    /** What restarted: the pod's name, or `StatefulSet/postgres` when the whole workload did. */
    subject: z.string().min(1),
    /** Where Kubernetes records it, for the verdict: `pod created 13:50 UTC`, `restartedAt annotation`. */
    evidence: z.string().max(300),
  })
  .strict();
export type ObservedRestart = z.infer<typeof observedRestartSchema>;

export const switchStateSchema = z
  .object({
    active: z.boolean(),
    reason: z.string().optional(),
    by: z.string().optional(),
    since: instant.optional(),
    until: instant.optional(),
  })
  .strict();
export type SwitchState = z.infer<typeof switchStateSchema>;

export const metricSeriesSchema = z
  .object({
    name: z.string().min(1),
    unit: z.string().optional(),
    samples: z.array(z.object({ at: instant, value: z.number() }).strict()).max(10_000),
    /** Why there are no (or too few) samples: the metrics source could not be read. Shown with "no samples". */
    problem: z.string().max(500).optional(),
  })
  .strict();
export type MetricSeries = z.infer<typeof metricSeriesSchema>;

/**
 * Everything the policy may look at, gathered by code at one instant. The policy reads nothing else:
 * no clock, no cluster, no store. The same facts and time always give the same verdict.
 */
/** The calendar-problem source that says the target's cluster facts could not be read at all. */
export const CLUSTER_FACTS_SOURCE = 'kubernetes';

export const factsSchema = z
  .object({
    cluster: clusterNameSchema,
    namespace: namespaceSchema,
    namespaceLabels: labelsSchema.default({}),
    /** The pod the action is about, when there is one. */
    pod: z
      .object({
        name: z.string(),
        labels: labelsSchema.default({}),
        restartCount: z.number().int().nonnegative().default(0),
        lastRestartAt: instant.optional(),
        /** Why a container of the pod last ended, as Kubernetes says it (`OOMKilled`, `Error`, `Completed`). */
        lastTerminationReason: z.string().max(128).optional(),
        /** The memory limit, in bytes, of the container that last ended (else the largest limit in the pod). */
        memoryLimitBytes: z.number().positive().optional(),
        /** Its containers' names: alerts about a container carry `container`, and silences match on it. */
        containers: z.array(z.string().max(253)).max(64).optional(),
      })
      .strict()
      .optional(),
    /** The top-level workload (a Deployment's pods resolve through their ReplicaSet to the Deployment). */
    owner: workloadRefSchema.optional(),
    lastRolloutAt: instant.optional(),
    /** Every restart of the target Kubernetes shows within the policy's longest restart window, newest first. */
    restarts: z.array(observedRestartSchema).max(500).default([]),
    replicas: z
      .object({ desired: z.number().int().nonnegative(), unhealthy: z.number().int().nonnegative() })
      .strict()
      .optional(),
    metrics: z.array(metricSeriesSchema).default([]),
    windows: z.array(windowOccurrenceSchema).default([]),
    /** Calendars that could not be read; with fail-closed they block like a window. */
    calendarProblems: z
      .array(z.object({ source: z.string(), message: z.string(), failClosed: z.boolean() }).strict())
      .default([]),
    freeze: switchStateSchema.default({ active: false }),
    pause: switchStateSchema.default({ active: false }),
    ledger: z.array(ledgerEntrySchema).default([]),
    /** Novelty keys (`action@target-kind`) an authorised approver has approved before. */
    approvedBefore: z.array(z.string()).default([]),
    /** The incident is part of an alert storm. */
    storm: z.boolean().default(false),
    /** Rules whose mode an operator promoted (or Belay demoted) since the policy file was written, by name. */
    ruleModes: z.record(z.string(), ruleModeSchema).optional(),
    /**
     * The target is inside a recurring pattern (learned from metrics) that no window covers: what rises,
     * in words, and the window that would name it. Never auto while it holds; a caution for humans.
     */
    recurringPattern: z
      .object({
        pattern: recurringPatternSchema,
        description: z.string().max(500),
        suggestedWindow: suggestedWindowSchema,
      })
      .strict()
      .optional(),
  })
  .strict();
export type Facts = z.infer<typeof factsSchema>;
export type FactsInput = z.input<typeof factsSchema>;
