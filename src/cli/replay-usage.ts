// Apart from replay.ts, so `belay help` lists replay without loading what it runs on.
export const REPLAY_USAGE = 'belay replay --config FILE --since 7d [--until ISO-TIME] [--rule NAME] [--json]';

export const REPLAY_HELP = [
  `usage: ${REPLAY_USAGE}`,
  '',
  'What the policy would have done with the alerts of a past period, decided one by one in time order on',
  'facts rebuilt from Prometheus as they were then. Changes nothing. Near misses first: actions only a',
  'window or a rate limit stopped, and actions that would have hit a recurring pattern.',
  '  --config FILE     the policy file (belay.yaml); Prometheus from its prometheus section',
  '  --since 7d        how far back (a duration such as 7d or 36h, or an ISO time)',
  '  --until ISO-TIME  the end of the period (default: now)',
  '  --rule NAME       replay one rule (default: every rule)',
  '  --json            the report as JSON',
  "Without a prometheus section it replays the alerts in Belay's audit log (store.dir/audit).",
  'Exit 0 with a report, 1 when the history could not be read, 2 for a wrong command line.',
];
