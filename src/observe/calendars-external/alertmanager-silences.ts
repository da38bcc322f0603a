import { z } from 'zod';
import {
  anchoredRe2,
  type Clock,
  type Labels,
  type Matcher,
  matcherMatches,
  type SelectorSubject,
  type WindowOccurrence,
} from '../../domain/index.ts';
import { createCachedJson, type Fetched } from './cached-fetch.ts';
import type { ExternalCalendar, ExternalWindows } from './calendar-window.ts';

// protocols.md §1.3: GET /api/v2/silences → gettableSilence[].
const silenceSchema = z.looseObject({
  id: z.string().min(1),
  matchers: z
    .array(
      z.looseObject({
        name: z.string(),
        value: z.string(),
        isRegex: z.boolean(),
        isEqual: z.boolean().optional(),
      }),
    )
    .min(1),
  startsAt: z.string(),
  endsAt: z.string(),
  createdBy: z.string().default(''),
  comment: z.string().default(''),
  status: z.looseObject({ state: z.string() }),
});
type Silence = z.infer<typeof silenceSchema>;

export interface AlertmanagerSilencesOptions {
  /** Alertmanager's base URL, without /api/v2. */
  readonly url: string;
  readonly clock: Clock;
  readonly fetch?: typeof globalThis.fetch;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
  readonly cacheMs?: number;
  /** When Alertmanager cannot be read, treat every target as inside a window (the safe default). */
  readonly failClosed?: boolean;
  readonly kind?: WindowOccurrence['kind'];
}

/**
 * Active Alertmanager silences as maintenance windows: an operator who silenced a target's alerts is
 * working on it, so Belay must not act on it either.
 */
export function createAlertmanagerSilences(options: AlertmanagerSilencesOptions): ExternalCalendar {
  const base = options.url.replace(/\/+$/, '');
  const failClosed = options.failClosed ?? true;
  const read = createCachedJson<Silence[]>({
    fetch: options.fetch ?? globalThis.fetch,
    clock: options.clock,
    timeoutMs: options.timeoutMs ?? 2_000,
    cacheMs: options.cacheMs ?? 30_000,
    parse: (body): Fetched<Silence[]> => {
      const parsed = z.array(silenceSchema).safeParse(body);
      return parsed.success
        ? { ok: true, value: parsed.data }
        : { ok: false, error: 'the answer was not a list of silences' };
    },
  });

  return {
    async windowsFor(subject: SelectorSubject, labelSets: readonly Labels[]): Promise<ExternalWindows> {
      const result = await read(`${base}/api/v2/silences`, options.headers);
      if (!result.ok) {
        return {
          windows: [],
          problems: [
            {
              // The verdict reads "Could not read the <source> calendar (<message>)"; whether that blocks is
              // failClosed's job, so the message is only what went wrong.
              source: `Alertmanager silences (${base})`,
              message: result.error,
              failClosed,
            },
          ],
        };
      }
      const now = options.clock.now().getTime();
      const windows = result.value
        // Alertmanager's own state decides "active" (its clock, not ours); endsAt drops what expired while cached.
        .filter((s) => s.status.state === 'active' && now < Date.parse(s.endsAt))
        // Silences speak alert labels: one covers the target when it would silence an alert about it.
        .filter((s) => labelSets.some((labels) => s.matchers.every((m) => matches(m, labels))))
        .map((s) => ({
          // The verdict adds "from Alertmanager silence <id>"; the name says what the silence is for.
          name: s.comment
            ? `"${s.comment.slice(0, 200)}" (silenced by ${s.createdBy || 'someone'})`
            : `silenced by ${s.createdBy || 'someone'}`,
          kind: options.kind ?? 'maintenance',
          timing: {
            type: 'one-off' as const,
            // Active by Alertmanager's clock is active now: a Belay clock a second behind it (or a silence
            // created a moment ago, whose startsAt Alertmanager sets to its own now) must not drop it.
            from: new Date(Math.min(Date.parse(s.startsAt), now)),
            to: new Date(Date.parse(s.endsAt)),
          },
          selector: { clusters: [subject.cluster], namespaces: [subject.namespace] },
          blocks: 'all' as const,
          source: { type: 'alertmanager-silence' as const, ref: s.id },
        }));
      return { windows, problems: [] };
    },
  };
}

function matches(m: Silence['matchers'][number], labels: Record<string, string>): boolean {
  const equal = m.isEqual ?? true;
  let matcher: Matcher;
  if (m.isRegex) {
    const regex = anchoredRe2(m.value);
    // Go's RE2 accepts a few things Belay cannot translate; a silence Belay cannot read counts as matching,
    // because wrongly acting inside a silence is worse than wrongly waiting.
    if (typeof regex === 'string') return true;
    matcher = { label: m.name, op: equal ? '=~' : '!~', value: m.value, regex };
  } else matcher = { label: m.name, op: equal ? '=' : '!=', value: m.value };
  return matcherMatches(matcher, labels);
}
