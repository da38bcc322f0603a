import { ACTION_KINDS, type Action, actionSchema } from './action.ts';

// What the bot never does, whoever asks. None of these is in the catalog, so none can be executed;
// this list exists so that a request for one is answered with the reason instead of "unknown action".
export interface NeverRule {
  readonly id: string;
  readonly pattern: RegExp;
  readonly reason: string;
}

const WRITE =
  '(delete|remove|destroy|drop|purge|patch|edit|change|update|modify|create|apply|rotate|replace|set|grant|bind)';

export const NEVER_LIST: readonly NeverRule[] = [
  {
    id: 'never:schema-migration',
    pattern: /migrat|schema|ddl|alter.?table/,
    reason: 'schema migrations change data irreversibly; a human runs them with a tested rollback plan',
  },
  {
    id: 'never:network-policy',
    pattern: /network.?polic|netpol|firewall|ingress.?rule|egress/,
    reason: 'network policy changes can cut off or expose whole services; a human reviews them',
  },
  {
    id: 'never:delete-stateful',
    pattern:
      /(delete|remove|destroy|drop|purge|wipe).*(statefulset|\bsts\b|pvc|persistentvolume|\bpv\b|volume|namespace|\bns\b|database|backup)/,
    reason:
      'deleting stateful resources (StatefulSets, volumes, namespaces) destroys data that cannot be brought back',
  },
  {
    id: 'never:secrets-rbac-iam',
    pattern: new RegExp(
      `secret|credential|password|token|rbac|clusterrole|rolebinding|serviceaccount|\\biam\\b|${WRITE}.*\\brole`,
    ),
    reason:
      'secrets, RBAC and IAM changes alter who can do what; only a human with that authority makes them',
  },
];

export type Classified =
  | { readonly type: 'action'; readonly action: Action }
  | { readonly type: 'forbidden'; readonly rule: string; readonly requested: string; readonly reason: string }
  | { readonly type: 'invalid'; readonly requested: string; readonly problems: readonly string[] };

/** Flattens whatever was asked for into words: the kind, the target's kind, any verb or resource named. */
function requestedText(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw !== 'object' || raw === null) return String(raw);
  const record = raw as Record<string, unknown>;
  const target = typeof record.target === 'object' && record.target !== null ? record.target : {};
  const words = [record.kind, record.verb, record.resource, record.action, ...Object.values(target)];
  return words.filter((w): w is string => typeof w === 'string').join(' ');
}

/**
 * Turns a request from any path (model, slash command, rule, CLI) into a catalog action, a refusal
 * from the never-list, or a list of what is wrong with it. Never throws.
 */
export function classifyActionRequest(raw: unknown): Classified {
  const requested = requestedText(raw).slice(0, 200);
  const kind = typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown }).kind : raw;
  const isCatalogKind = typeof kind === 'string' && (ACTION_KINDS as readonly string[]).includes(kind);
  if (!isCatalogKind) {
    const words = requested.toLowerCase().replace(/[_\s/]+/g, '-');
    const never = NEVER_LIST.find((rule) => rule.pattern.test(words));
    if (never) return { type: 'forbidden', rule: never.id, requested, reason: never.reason };
    return {
      type: 'forbidden',
      rule: 'catalog',
      requested,
      reason: `"${String(kind ?? requested).slice(0, 80)}" is not something Belay can do; its catalog is ${ACTION_KINDS.join(', ')}`,
    };
  }
  const parsed = actionSchema.safeParse(raw);
  if (parsed.success) return { type: 'action', action: parsed.data };
  return {
    type: 'invalid',
    requested,
    problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(request)'}: ${issue.message}`),
  };
}
