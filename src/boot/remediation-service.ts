import { composeReplay } from '../compose/index.ts';
import type { FactsSource } from '../govern/execution-gate.ts';
import { createRemediationService } from '../govern/remediation-service.ts';
import { pastOutcomesFrom, replayUseCase, ruleReplaySummary, withReplay } from '../govern/replay/index.ts';
import { withRuleRecordUseCases } from '../govern/rule-record-use-cases.ts';
import type { CalendarWindow } from '../observe/calendar/index.ts';
import { type RuleRecordWiring, wireRuleRecords } from './rule-records.ts';

export interface RemediationServiceWiring extends Omit<RuleRecordWiring, 'replaySummary'> {
  readonly facts: FactsSource;
  /** Every window Belay knows of, for /remediate windows and status. */
  readonly calendar: () => readonly CalendarWindow[];
  readonly prometheusToken?: string;
}

/**
 * The use-cases people drive (/remediate, the buttons, MCP), wired: the service over the gate that records
 * outcomes and demotes, with reviews, promotion and replay added. Replay is the same as `belay replay`;
 * its past episodes show what Belay's own actions led to, and promote shows the rule's last week replayed.
 */
export function wireRemediationService(options: RemediationServiceWiring) {
  const { config, records, clock } = options;
  const replay = replayUseCase(
    {
      ...composeReplay({
        config,
        ...(options.prometheusToken ? { prometheusToken: options.prometheusToken } : {}),
      }),
      pastOutcome: pastOutcomesFrom(
        () => records.outcomes(),
        config.outcomes,
        () => clock.now(),
      ),
    },
    clock,
  );
  const learned = wireRuleRecords({ ...options, replaySummary: (rule) => ruleReplaySummary(replay, rule) });
  const service = withReplay(
    withRuleRecordUseCases(
      createRemediationService({
        policy: config,
        store: options.store,
        audit: options.audit,
        gate: learned.gate,
        facts: options.facts,
        presenter: options.presenter,
        clock,
        groupsOf: options.groupsOf,
        calendar: options.calendar,
      }),
      { promotion: learned.promotion, reviews: learned.reviews, records },
    ),
    replay,
  );
  return { ...learned, service };
}
