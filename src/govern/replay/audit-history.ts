import { z } from 'zod';
import {
  type Alert,
  type AuditEvent,
  alertSchema,
  alertSubject,
  type Facts,
  factsSchema,
  type Policy,
  type SwitchState,
  switchStateSchema,
  WORKLOAD_KINDS,
} from '../../domain/index.ts';
import { type CalendarWindow, targetWindows, windowFromDefinition } from '../../observe/calendar/index.ts';
import { listSegments, readSegment } from '../store/audit-segment.ts';
import type { ReplayHistory } from './replay-history.ts';
import type { ReplayEpisode } from './replay-types.ts';

export interface AuditHistoryDeps {
  /** The audit directory (store.dir/audit); read only, never written. */
  readonly dir: string;
  readonly policy: Policy;
  /** The cluster of an alert without a `cluster` label. */
  readonly defaultCluster?: string;
}

const alertData = z.object({ alert: alertSchema }).loose();
const switchData = z.object({ state: switchStateSchema }).loose();

/**
 * The past as Belay's own audit log holds it, for when no Prometheus is configured: the alerts Belay
 * received (`alert.received`), the freezes and pauses declared then, and the policy file's windows. The
 * cluster's state then is not in the log, so metric conditions cannot be judged (they read as not held).
 */
export function auditHistory(deps: AuditHistoryDeps): ReplayHistory {
  const windows: CalendarWindow[] = deps.policy.windows.map(windowFromDefinition);
  let records: AuditEvent[] = [];
  return {
    source: 'audit',
    origin: `the audit log in ${deps.dir}`,
    async episodes(period) {
      try {
        records = await readAll(deps.dir);
      } catch (error) {
        return {
          ok: false,
          error: `could not read the audit log in ${deps.dir} (${(error as Error).message}); check store.dir, or configure prometheus to replay from metric history`,
        };
      }
      return { ok: true, episodes: auditEpisodes(records, period) };
    },
    async factsAt(episode) {
      const subject = alertSubject(episode.alert);
      const cluster = subject.cluster ?? deps.defaultCluster ?? 'default';
      const namespace = subject.namespace ?? 'default';
      const workload =
        subject.workload && (WORKLOAD_KINDS as readonly string[]).includes(subject.workload.kind)
          ? subject.workload
          : undefined;
      const base: Facts = factsSchema.parse({
        cluster,
        namespace,
        ...(subject.pod ? { pod: { name: subject.pod } } : {}),
        ...(workload ? { owner: workload } : {}),
        freeze: switchAt(records, 'freeze.changed', episode.startMs),
        pause: switchAt(records, 'pause.changed', episode.startMs),
      });
      const at = new Date(episode.startMs);
      return {
        facts: { ...base, windows: targetWindows(windows, base, at) },
        gaps: [
          "no Prometheus: metric conditions cannot be rebuilt and read as not held; restarts, owner kind and labels are only what the alert's labels say",
          'Alertmanager silences, PagerDuty maintenance and backup CronJobs of that time are not replayed',
        ],
        context: [
          `received by Belay from ${episode.alert.source} at ${episode.alert.receivedAt.slice(11, 16)} UTC`,
        ],
      };
    },
    assumptions: [
      'Alerts are those Belay received, from its audit log; alerts that never reached Belay are not in it.',
      'Each alert is decided when it started firing; freeze and pause as the audit log records them then.',
      'Every action the policy would have allowed (or put before a human) is assumed to have run, and fills the rate ledger for the alerts after it.',
    ],
  };
}

/** Each alert once per firing (source, fingerprint, start), ended by its resolved delivery when there is one. */
export function auditEpisodes(
  records: readonly AuditEvent[],
  period: { readonly sinceMs: number; readonly untilMs: number },
): ReplayEpisode[] {
  const firings = new Map<string, { alert: Alert; startMs: number; endMs?: number }>();
  for (const record of records) {
    if (record.type !== 'alert.received') continue;
    const alert = alertData.safeParse(record.data).data?.alert;
    if (!alert) continue;
    const key = JSON.stringify([alert.source, alert.fingerprint, alert.startsAt]);
    const known = firings.get(key);
    if (alert.status === 'firing') {
      if (!known) firings.set(key, { alert, startMs: Date.parse(alert.startsAt) });
    } else if (known) {
      known.endMs = Date.parse(alert.endsAt ?? alert.receivedAt);
    }
  }
  return [...firings.values()]
    .filter((f) => f.startMs >= period.sinceMs && f.startMs < period.untilMs)
    .map((f) => ({
      alert: f.alert,
      startMs: f.startMs,
      ...(f.endMs !== undefined ? { endMs: f.endMs } : {}),
    }))
    .sort((a, b) => a.startMs - b.startMs);
}

/** A freeze or pause as the last change before `atMs` left it (lapsed when its `until` had passed). */
function switchAt(records: readonly AuditEvent[], type: AuditEvent['type'], atMs: number): SwitchState {
  let state: SwitchState = { active: false };
  for (const record of records) {
    if (record.type !== type || Date.parse(record.at) > atMs) continue;
    state = switchData.safeParse(record.data).data?.state ?? state;
  }
  return state.active && state.until && Date.parse(state.until) <= atMs ? { ...state, active: false } : state;
}

async function readAll(dir: string): Promise<AuditEvent[]> {
  const segments = await listSegments(dir);
  if (segments.length === 0) throw new Error('no audit segments there');
  const out: AuditEvent[] = [];
  for (const [index, ref] of segments.entries()) {
    const { entries } = await readSegment(ref, { tolerateTorn: index === segments.length - 1 });
    for (const entry of entries) out.push(entry.record);
  }
  return out;
}
