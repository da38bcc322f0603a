import { z } from 'zod';
import { actionKindSchema, hasInverse } from './action.ts';
import { durationSchema } from './duration.ts';
import { matcherSchema } from './matcher.ts';
import { labelsSchema, namespaceSchema, objectNameSchema, workloadKindSchema } from './names.ts';
import { quantitySchema } from './quantity.ts';
import { outcomeSettingsSchema, promotionSettingsSchema } from './record-settings.ts';
import { selectorSchema } from './selector.ts';

// The operator's policy: the part of belay.yaml the decision engine reads. Strict everywhere, because a
// misspelt key in a safety rule must fail loudly instead of silently doing nothing.

const name = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lower-case letters, digits and "-" (max 63)');

export const approverSetSchema = z
  .object({
    users: z
      .array(z.string().regex(/^[UW][A-Z0-9]+$/, 'must be a Slack user id such as U012AB3CD'))
      .default([]),
    groups: z
      .array(z.string().regex(/^S[A-Z0-9]+$/, 'must be a Slack user group id such as S0614TZR7'))
      .default([]),
  })
  .strict();

/**
 * Who flips the switches (pause, resume, freeze, lift). `security` may lift any freeze, whoever declared it.
 * See govern/switch-check.ts for who may do what.
 */
export const operatorsSchema = z
  .object({
    users: approverSetSchema.shape.users,
    groups: approverSetSchema.shape.groups,
    security: approverSetSchema.optional(),
  })
  .strict();
export type Operators = z.infer<typeof operatorsSchema>;

export const namespaceClassSchema = z
  .object({
    name,
    description: z.string().optional(),
    /** Production-critical: every action needs approval; auto rules are refused. */
    critical: z.boolean().default(false),
    /** Namespaces (globs) in this class. */
    namespaces: z.array(z.string().min(1)).default([]),
    /** Namespace labels that put a namespace in this class, checked after `namespaces`. */
    labels: labelsSchema.optional(),
    approvers: approverSetSchema.default({ users: [], groups: [] }),
  })
  .strict();
export type NamespaceClass = z.infer<typeof namespaceClassSchema>;

export const tierSchema = z
  .object({
    namespaceClass: z.string().optional(),
    workloadKind: workloadKindSchema.optional(),
    actions: z.array(actionKindSchema).min(1).optional(),
    /** The least a matching action needs. Tiers only ever raise what the built-in floors require. */
    tier: z.enum(['suggest', 'approval']),
  })
  .strict();

export const rateScopeSchema = z.enum(['pod', 'workload', 'namespace', 'cluster']);
export type RateScope = z.infer<typeof rateScopeSchema>;

export const rateLimitSchema = z
  .object({
    scope: rateScopeSchema,
    actions: z.array(actionKindSchema).min(1),
    limit: z.number().int().min(0).max(10_000),
    window: durationSchema,
  })
  .strict();
export type RateLimit = z.infer<typeof rateLimitSchema>;

export const DEFAULT_RATE_LIMITS: readonly RateLimit[] = [
  { scope: 'pod', actions: ['restart-pod', 'rollout-restart'], limit: 1, window: 3_600_000 },
  { scope: 'namespace', actions: ['restart-pod', 'rollout-restart'], limit: 3, window: 3_600_000 },
];

const scopedList = z
  .object({ in: z.array(z.string()).min(1).optional(), notIn: z.array(z.string()).min(1).optional() })
  .strict()
  .refine((v) => v.in || v.notIn, 'give `in` or `notIn`');

export const ruleConditionsSchema = z
  .object({
    /** The alerts that trigger the rule: a rule never fires on its own, only in answer to an alert. */
    alert: z
      .object({
        /** Alert name, or a glob of names. */
        name: z.string().min(1).optional(),
        matchers: z.array(matcherSchema).default([]),
      })
      .strict()
      .refine((a) => a.name !== undefined || a.matchers.length > 0, 'name the alert or give matchers'),
    /** The alert has been firing at least this long. */
    firingFor: durationSchema.optional(),
    metric: z
      .object({
        name: z.string().min(1),
        above: quantitySchema.optional(),
        below: quantitySchema.optional(),
        for: durationSchema,
      })
      .strict()
      .refine((m) => m.above !== undefined || m.below !== undefined, 'give `above` or `below`')
      .optional(),
    /** The target is not inside any maintenance or backup window. */
    notInWindow: z.boolean().optional(),
    /** Neither Kubernetes nor Belay restarted the target within this period. */
    notRestartedWithin: durationSchema.optional(),
    /** The workload was (or was not) rolled out within this period: a crash right after a deploy points at the deploy. */
    rolledOutWithin: durationSchema.optional(),
    notRolledOutWithin: durationSchema.optional(),
    namespaceClass: scopedList.optional(),
    workloadKind: scopedList.optional(),
  })
  .strict();
export type RuleConditions = z.infer<typeof ruleConditionsSchema>;

export const RULE_MODES = ['dry-run', 'suggest', 'approval', 'auto'] as const;
export const ruleModeSchema = z.enum(RULE_MODES);
export type RuleMode = z.infer<typeof ruleModeSchema>;

export const ruleSchema = z
  .object({
    name,
    description: z.string().optional(),
    action: actionKindSchema,
    /** For scale: the replica count. For patch-configmap: the ConfigMap and the values. */
    replicas: z.number().int().min(0).max(1_000).optional(),
    configMap: z
      .object({ name: objectNameSchema, data: z.record(z.string(), z.string().nullable()) })
      .strict()
      .optional(),
    mode: ruleModeSchema,
    when: ruleConditionsSchema,
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.action === 'scale' && rule.replicas === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['replicas'],
        message: 'a scale rule must say how many replicas',
      });
    }
    if (rule.action === 'patch-configmap' && !rule.configMap) {
      ctx.addIssue({
        code: 'custom',
        path: ['configMap'],
        message: 'a patch-configmap rule must name the ConfigMap and values',
      });
    }
  });
export type Rule = z.infer<typeof ruleSchema>;

export const windowDefinitionSchema = z
  .object({
    name,
    kind: z.enum(['maintenance', 'backup', 'freeze']).default('maintenance'),
    description: z.string().optional(),
    /** Recurring: a cron expression (5 or 6 fields) for when it opens, and how long it stays open. */
    schedule: z.string().min(1).optional(),
    duration: durationSchema.optional(),
    /** IANA time zone the schedule is written in. */
    timezone: z.string().default('UTC'),
    /** One-off: a date range (a holiday freeze). */
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    selector: selectorSchema.default({}),
    blocks: z.union([z.literal('all'), z.array(actionKindSchema).min(1)]).default('all'),
  })
  .strict()
  .superRefine((w, ctx) => {
    const recurring = w.schedule !== undefined || w.duration !== undefined;
    const oneOff = w.from !== undefined || w.to !== undefined;
    if (recurring === oneOff) {
      ctx.addIssue({
        code: 'custom',
        message:
          'a window is either recurring (schedule + duration) or one-off (from + to), not both or neither',
      });
      return;
    }
    if (recurring && (w.schedule === undefined || w.duration === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a recurring window needs both `schedule` and `duration`' });
    }
    if (recurring && w.duration !== undefined && w.duration <= 0) {
      ctx.addIssue({ code: 'custom', path: ['duration'], message: 'duration must be longer than zero' });
    }
    if (oneOff && (w.from === undefined || w.to === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a one-off window needs both `from` and `to`' });
    }
    if (w.from && w.to && Date.parse(w.from) >= Date.parse(w.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must be after `from`' });
    }
  });
export type WindowDefinition = z.infer<typeof windowDefinitionSchema>;

export const safeConfigMapSchema = z
  .object({ namespace: namespaceSchema, name: objectNameSchema, safeKeys: z.array(z.string().min(1)).min(1) })
  .strict();

/** The policy's keys; the config file holds them at its top level beside the other sections. */
export const policyShape = {
  namespaceClasses: z.array(namespaceClassSchema).min(1),
  /** The class of a namespace no class names. */
  defaultNamespaceClass: name,
  tiers: z.array(tierSchema).default([]),
  /** Who may pause, resume, declare and lift a freeze; without it, resuming and lifting fall to critical approvers. */
  operators: operatorsSchema.default({ users: [], groups: [] }),
  /** Who asked for a manual action may not approve it for a production-critical target. */
  twoPersonRule: z.boolean().default(true),
  /** Pending proposals expire after this long. */
  approvalTtl: durationSchema.default(1_800_000),
  /** An action kind never approved before for a kind of target needs approval. */
  novelty: z.boolean().default(true),
  /** Share of a workload's replicas already unhealthy above which nothing runs automatically. */
  stormShare: z.number().min(0).max(1).default(0.5),
  /** After an automatic action whose verification failed, revert it without waiting for a human. */
  autoRevertOnFailedVerification: z.boolean().default(true),
  rateLimits: z.array(rateLimitSchema).default([...DEFAULT_RATE_LIMITS]),
  windows: z.array(windowDefinitionSchema).default([]),
  rules: z.array(ruleSchema).default([]),
  configMaps: z.array(safeConfigMapSchema).default([]),
  /** When an action that ran counts as a fix: its alert resolved soon after, and stayed resolved. */
  outcomes: outcomeSettingsSchema.default({ resolveWithin: 900_000, returnWithin: 86_400_000 }),
  /** What a rule's record must show before /remediate promote raises its mode. */
  promotion: promotionSettingsSchema.default({ minDays: 7, minAgreement: 0.9 }),
};

/** Cross-field checks no single field can make: references between sections, and where auto is refused. */
export function refinePolicy(policy: z.infer<z.ZodObject<typeof policyShape>>, ctx: z.RefinementCtx): void {
  const classes = new Set(policy.namespaceClasses.map((c) => c.name));
  if (!classes.has(policy.defaultNamespaceClass)) {
    ctx.addIssue({
      code: 'custom',
      path: ['defaultNamespaceClass'],
      message: `"${policy.defaultNamespaceClass}" is not one of the namespaceClasses (${[...classes].join(', ')})`,
    });
  }
  const seen = new Map<string, number>();
  policy.namespaceClasses.forEach((c, i) => {
    if (seen.has(c.name))
      ctx.addIssue({
        code: 'custom',
        path: ['namespaceClasses', i, 'name'],
        message: `class "${c.name}" is defined twice`,
      });
    seen.set(c.name, i);
  });
  const critical = new Set(policy.namespaceClasses.filter((c) => c.critical).map((c) => c.name));
  const checkClassRefs = (list: readonly string[] | undefined, path: (string | number)[]) => {
    for (const [j, ref] of (list ?? []).entries()) {
      if (!classes.has(ref)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, j],
          message: `"${ref}" is not one of the namespaceClasses (${[...classes].join(', ')})`,
        });
      }
    }
  };
  policy.tiers.forEach((tier, i) => {
    if (tier.namespaceClass) checkClassRefs([tier.namespaceClass], ['tiers', i, 'namespaceClass']);
  });
  const ruleNames = new Set<string>();
  policy.rules.forEach((rule, i) => {
    if (ruleNames.has(rule.name))
      ctx.addIssue({
        code: 'custom',
        path: ['rules', i, 'name'],
        message: `rule "${rule.name}" is defined twice`,
      });
    ruleNames.add(rule.name);
    checkClassRefs(rule.when.namespaceClass?.in, ['rules', i, 'when', 'namespaceClass', 'in']);
    checkClassRefs(rule.when.namespaceClass?.notIn, ['rules', i, 'when', 'namespaceClass', 'notIn']);
    if (rule.mode !== 'auto') return;
    if (!hasInverse(rule.action)) {
      ctx.addIssue({
        code: 'custom',
        path: ['rules', i, 'mode'],
        message: `auto is refused for ${rule.action}: it cannot be reverted, so a human must approve it (use suggest or approval)`,
      });
    }
    const excluded = new Set(rule.when.namespaceClass?.notIn ?? []);
    const included = rule.when.namespaceClass?.in;
    const reachesCritical = [...critical].filter((c) => (included ? included.includes(c) : !excluded.has(c)));
    if (reachesCritical.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['rules', i, 'when', 'namespaceClass'],
        message: `auto is refused in production-critical namespaces; add namespaceClass: { notIn: [${reachesCritical.join(', ')}] } or use approval`,
      });
    }
  });
}

export const policySchema = z.object(policyShape).strict().superRefine(refinePolicy);
export type Policy = z.infer<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;
