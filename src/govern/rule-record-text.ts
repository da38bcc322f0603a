import type { RuleRecordSummary } from '../decide/index.ts';

/** A rule's record in a few lines, the same in Slack and in check-config. */
export function describeRuleRecord(record: RuleRecordSummary): string[] {
  const mode =
    record.mode === record.fileMode
      ? `mode ${record.mode}`
      : `mode ${record.mode} (${record.override?.change ?? 'set'} from ${record.override?.previous ?? record.fileMode}; the policy file says ${record.fileMode})`;
  const agreement =
    record.agreement === undefined
      ? 'none reviewed yet'
      : `${Math.round(record.agreement * 100)}% would have approved (${record.approved} of ${record.reviewed} reviewed)`;
  const o = record.outcomes;
  return [
    `Rule ${record.rule}: ${mode}`,
    `• in dry-run: ${record.daysInDryRun === undefined ? 'never' : `${record.daysInDryRun} day${record.daysInDryRun === 1 ? '' : 's'}`}; ${record.wouldHave} would-have action${record.wouldHave === 1 ? '' : 's'}, ${agreement}`,
    `• reverts since its mode last changed: ${record.reverts}`,
    `• outcomes of its actions: ${o.fixed} fixed, ${o.notFixed} did not fix, ${o.postponed} postponed`,
  ];
}
