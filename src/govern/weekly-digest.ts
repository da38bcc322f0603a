import { z } from 'zod';
import { type AuditEvent, type Verdict, verdictSchema } from '../domain/index.ts';
import type { AuditLog } from './store/index.ts';

/** Records per `read` when paging back through the audit log. */
export const DEFAULT_PAGE_SIZE = 500;

/** What the week held, as govern counts it from the audit log. */
export interface WeeklyDigest {
  readonly from: string;
  readonly to: string;
  /** Actions that ran and verified, whoever allowed them (a human or an auto rule). */
  readonly executed: number;
  /** Proposals a person approved; an auto rule's own go-ahead is counted in `executed`, not here. */
  readonly approved: number;
  readonly rejected: number;
  readonly reverted: number;
  readonly expired: number;
  /** Blocked proposals by the rule that blocked them (`window:postgres-nightly-backup`, `freeze`, `rate-limit:pod`). */
  readonly blockedByReason: readonly { readonly rule: string; readonly count: number }[];
  /** What dry-run rules would have done, to decide whether to promote them. */
  readonly dryRun: readonly { readonly rule: string; readonly wouldHave: string; readonly count: number }[];
  readonly noisiestAlerts: readonly { readonly alert: string; readonly count: number }[];
  /** Per rule, what its actions measured in the period came to (absent when none was measured). */
  readonly outcomesByRule?: readonly RuleOutcomeCount[];
}

export interface RuleOutcomeCount {
  /** The rule, or "(no rule)" for the model's, the deterministic checks' and manual requests. */
  readonly rule: string;
  readonly fixed: number;
  readonly notFixed: number;
  readonly postponed: number;
}

export const DIGEST_PERIOD_MS = 7 * 24 * 3_600_000;

// The parts of `data` the digest reads. Records are validated as a whole when the log reads them, but
// `data` is free-form: a record whose data does not have the shape is left out of the count, not fatal.
const outcomeData = z.object({ outcome: z.object({ status: z.string() }).loose() }).loose();
const verdictData = z
  .object({ verdict: verdictSchema, rule: z.string().optional(), dryRun: z.boolean().optional() })
  .loose();
const measuredData = z
  .object({ status: z.enum(['fixed', 'not-fixed', 'postponed']), rule: z.string().optional() })
  .loose();
const alertData = z
  .object({
    alert: z
      .object({
        source: z.string(),
        fingerprint: z.string(),
        status: z.enum(['firing', 'resolved']),
        name: z.string(),
        startsAt: z.string(),
      })
      .loose(),
  })
  .loose();

/**
 * Counts what happened in [from, to) from audit records (any order, any extra records outside the period).
 * Each proposal counts once per heading, even when the log holds a record twice (the gate and a sweep can
 * both write `proposal.expired` for the same proposal).
 */
export function buildWeeklyDigest(events: Iterable<AuditEvent>, from: Date, to: Date): WeeklyDigest {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (Number.isNaN(fromMs) || Number.isNaN(toMs) || fromMs >= toMs) {
    throw new RangeError(
      `A digest needs a period whose start is before its end; got ${String(from)} to ${String(to)}.`,
    );
  }
  const executed = new Set<string>();
  const approved = new Set<string>();
  const rejected = new Set<string>();
  const reverted = new Set<string>();
  const expired = new Set<string>();
  const blocked: { subject: string; event: AuditEvent; verdict: Verdict }[] = [];
  /** Pipeline verdicts are written before their proposal exists; proposal.created carries the same verdict. */
  const proposalOfVerdict = new Map<string, string>();
  const dryRun = new Map<string, { rule: string; wouldHave: string; count: number }>();
  const firings = new Map<string, Set<string>>();
  /** The last outcome told of each action: a fix that came back later counts as postponed, once. */
  const measured = new Map<string, { rule: string; status: 'fixed' | 'not-fixed' | 'postponed' }>();

  for (const event of events) {
    const at = Date.parse(event.at);
    if (at < fromMs || at >= toMs) continue;
    const once = event.proposalId ?? `seq:${event.seq}`;
    switch (event.type) {
      case 'execution.finished':
        if (outcomeData.safeParse(event.data).data?.outcome.status === 'succeeded') executed.add(once);
        break;
      case 'revert.finished':
        if (outcomeData.safeParse(event.data).data?.outcome.status === 'succeeded') reverted.add(once);
        break;
      case 'proposal.approved':
        if (event.actor.type === 'user') approved.add(once);
        break;
      case 'proposal.rejected':
        rejected.add(once);
        break;
      case 'proposal.expired':
        expired.add(once);
        break;
      case 'proposal.created': {
        const verdict = verdictData.safeParse(event.data).data?.verdict;
        if (verdict && event.proposalId) proposalOfVerdict.set(verdictKey(event, verdict), event.proposalId);
        break;
      }
      case 'verdict': {
        const data = verdictData.safeParse(event.data).data;
        if (!data) break;
        if (data.dryRun || data.verdict.dryRun) {
          const rule = data.rule ?? data.verdict.rule?.name ?? 'unnamed rule';
          const wouldHave = data.verdict.headline.replace(/^Dry run — /, '');
          const key = JSON.stringify([rule, wouldHave]);
          const entry = dryRun.get(key) ?? { rule, wouldHave, count: 0 };
          entry.count += 1;
          dryRun.set(key, entry);
        } else if (data.verdict.disposition === 'blocked') {
          blocked.push({ subject: event.proposalId ?? '', event, verdict: data.verdict });
        }
        break;
      }
      case 'outcome.measured': {
        const data = measuredData.safeParse(event.data).data;
        if (data) measured.set(once, { rule: data.rule ?? '(no rule)', status: data.status });
        break;
      }
      case 'alert.received': {
        const alert = alertData.safeParse(event.data).data?.alert;
        // A firing alert is re-sent (repeat_interval, group changes) with the same start: one firing, however
        // many deliveries. Noise is how often it started firing.
        if (alert?.status !== 'firing') break;
        const seen = firings.get(alert.name) ?? new Set<string>();
        seen.add(JSON.stringify([alert.source, alert.fingerprint, alert.startsAt]));
        firings.set(alert.name, seen);
        break;
      }
      default:
        break;
    }
  }

  const blockedOnce = new Map<string, Set<string>>();
  for (const { subject, event, verdict } of blocked) {
    const who = subject || proposalOfVerdict.get(verdictKey(event, verdict)) || `seq:${String(event.seq)}`;
    for (const reason of verdict.reasons) {
      if (reason.effect !== 'blocked') continue;
      const subjects = blockedOnce.get(reason.rule) ?? new Set<string>();
      subjects.add(who);
      blockedOnce.set(reason.rule, subjects);
    }
  }

  const perRule = new Map<string, { rule: string; fixed: number; notFixed: number; postponed: number }>();
  for (const { rule, status } of measured.values()) {
    const row = perRule.get(rule) ?? { rule, fixed: 0, notFixed: 0, postponed: 0 };
    if (status === 'fixed') row.fixed += 1;
    else if (status === 'not-fixed') row.notFixed += 1;
    else row.postponed += 1;
    perRule.set(rule, row);
  }
  const outcomesByRule = [...perRule.values()].sort((a, b) => a.rule.localeCompare(b.rule));

  return {
    ...(outcomesByRule.length > 0 ? { outcomesByRule } : {}),
    from: from.toISOString(),
    to: to.toISOString(),
    executed: executed.size,
    approved: approved.size,
    rejected: rejected.size,
    reverted: reverted.size,
    expired: expired.size,
    blockedByReason: byCount(
      [...blockedOnce].map(([rule, s]) => ({ rule, count: s.size })),
      (b) => b.rule,
    ),
    dryRun: byCount([...dryRun.values()], (d) => `${d.rule}\u0000${d.wouldHave}`),
    noisiestAlerts: byCount(
      [...firings].map(([alert, s]) => ({ alert, count: s.size })),
      (a) => a.alert,
    ),
  };
}

/**
 * The audit records stamped in [from, to), in seq order, read newest page first and stopping at the first
 * page that starts before `from`. Each page is one `read`, which parses only the page's records (the segment
 * holding them is found by name): the cost is one directory listing and one segment read per `pageSize`
 * records of the period, plus one page before it; older history is never parsed, and memory holds only the
 * period's records. Relies on `at` growing with seq, which holds because
 * the log stamps each record with its clock as it appends.
 */
export async function readAuditPeriod(
  audit: Pick<AuditLog, 'read' | 'lastSeq'>,
  from: Date,
  to: Date,
  pageSize: number = DEFAULT_PAGE_SIZE,
): Promise<AuditEvent[]> {
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  }
  const fromMs = from.getTime();
  const toMs = to.getTime();
  const pages: AuditEvent[][] = [];
  const lastSeq = audit.lastSeq();
  for (let afterSeq = Math.floor((lastSeq - 1) / pageSize) * pageSize; afterSeq >= 0; afterSeq -= pageSize) {
    const page = await audit.read({ afterSeq, limit: pageSize });
    pages.push(page);
    const first = page[0];
    if (first && Date.parse(first.at) < fromMs) break;
  }
  return pages
    .reverse()
    .flat()
    .filter((e) => {
      const at = Date.parse(e.at);
      return at >= fromMs && at < toMs;
    });
}

/** A verdict is one decision: the same incident and decision time in a verdict and a proposal.created record. */
function verdictKey(event: AuditEvent, verdict: Verdict): string {
  return JSON.stringify([event.incidentId ?? '', verdict.decidedAt, verdict.headline]);
}

/** Most first; ties in a stable, readable order so the same week always gives the same digest. */
function byCount<T extends { count: number }>(items: T[], name: (item: T) => string): T[] {
  return items.sort((a, b) => b.count - a.count || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
}
