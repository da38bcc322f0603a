import { context, escapeText, header, message, type SlackMessage, section } from './limits.ts';

/** One incident of a storm, as the storm message counts it. */
export interface StormMember {
  readonly id: string;
  readonly title: string;
  readonly namespace: string;
  readonly workload?: string;
  /** Alert names of the incident (from its title when nothing better is known). */
  readonly alert: string;
  /** Why a proposal for it is held back, when there is one. */
  readonly heldBack?: string;
  /** The pods its alerts name. */
  readonly pods?: string[];
}

/** The fleet the share is measured against: its size, or why it is not known. */
export type StormFleet =
  | { readonly known: true; readonly size: { pods: number; namespaces: number; workloads: number } }
  | { readonly known: false; readonly reason: string };

const count = (n: number) => n.toLocaleString('en-US');
const counted = (n: number, what: string) => `${count(n)} ${what}${n === 1 ? '' : 's'}`;
const percent = (part: number, whole: number) =>
  whole > 0 ? ` (${Math.min(100, Math.round((100 * part) / whole))}%)` : '';

/** `200 of 1,240 pods (16%) in 5 of 12 namespaces, 40 of 310 workloads`, or the counts and why the fleet is unknown. */
export function fleetShare(members: readonly StormMember[], fleet: StormFleet | undefined): string {
  const pods = new Set(members.flatMap((m) => (m.pods ?? []).map((p) => `${m.namespace}/${p}`))).size;
  const namespaces = new Set(members.map((m) => m.namespace)).size;
  const workloads = new Set(members.map((m) => `${m.namespace}/${m.workload ?? m.title}`)).size;
  if (!fleet?.known)
    return `${counted(pods, 'pod')} in ${counted(namespaces, 'namespace')}, ${counted(workloads, 'workload')} (fleet size unknown: ${fleet?.reason ?? 'it is not read'})`;
  const { size } = fleet;
  return (
    `${count(pods)} of ${counted(size.pods, 'pod')}${percent(pods, size.pods)} in ${count(namespaces)} of ` +
    `${counted(size.namespaces, 'namespace')}, ${count(workloads)} of ${counted(size.workloads, 'workload')}`
  );
}

const top = (values: readonly string[], n = 8) => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, n).map(([k, c]) => `${escapeText(k)} (${c})`);
  if (sorted.length > n) shown.push(`… ${sorted.length - n} more`);
  return shown.join(', ');
};

/**
 * The one top-level message of a storm in a channel, updated in place: what is failing, counted by
 * namespace, alert and workload, and what Belay is holding back. The incidents are listed in its thread.
 */
export function stormMessage(members: readonly StormMember[], fleet?: StormFleet): SlackMessage {
  const workloads = new Set(members.map((m) => `${m.namespace}/${m.workload ?? m.title}`));
  const held = members.filter((m) => m.heldBack);
  const text = `Alert storm: ${counted(members.length, 'incident')} across ${counted(workloads.size, 'workload')}`;
  return message(text, [
    header(`Alert storm: ${counted(members.length, 'incident')}`),
    section(
      [
        `*${counted(workloads.size, 'workload')} failing at once*: this looks like one shared cause (a node, the network, a dependency, a rollout), not ${members.length} separate problems.`,
        `*Share of the fleet:* ${escapeText(fleetShare(members, fleet))}`,
        `*By namespace:* ${top(members.map((m) => m.namespace))}`,
        `*By alert:* ${top(members.map((m) => m.alert))}`,
        `*By workload:* ${top(members.map((m) => `${m.namespace}/${m.workload ?? '-'}`))}`,
      ].join('\n'),
    ),
    section(
      held.length > 0
        ? `*Held back:* ${held.length} proposals. Nothing runs automatically during a storm; restarting each workload would hide the shared cause. ${top(
            held.map((m) => m.heldBack ?? ''),
            3,
          )}`
        : '*Held back:* nothing runs automatically during a storm; restarting each workload would hide the shared cause.',
    ),
    context('The incidents are listed in this thread. This message is updated as the storm grows.'),
  ]);
}

/** A batch of storm incidents for the thread under the storm message. */
export function stormBatchMessage(lines: readonly string[]): SlackMessage {
  const text = lines.join('\n');
  return message(text, [section(lines.map((l) => `• ${escapeText(l)}`).join('\n'))]);
}
