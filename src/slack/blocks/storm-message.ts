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
export function stormMessage(members: readonly StormMember[], workloadsKnown?: number): SlackMessage {
  const workloads = new Set(members.map((m) => `${m.namespace}/${m.workload ?? m.title}`));
  const held = members.filter((m) => m.heldBack);
  const share =
    workloadsKnown && workloadsKnown > 0
      ? ` (${Math.round((100 * workloads.size) / workloadsKnown)}% of ${workloadsKnown} workloads seen)`
      : '';
  const text = `Alert storm: ${members.length} incidents across ${workloads.size} workloads`;
  return message(text, [
    header(`Alert storm: ${members.length} incidents`),
    section(
      [
        `*${workloads.size} workloads failing at once*${share}: this looks like one shared cause (a node, the network, a dependency, a rollout), not ${members.length} separate problems.`,
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
