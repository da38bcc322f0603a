import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slackSectionSchema } from '../../src/config/sections/slack.ts';

describe('slack config section', () => {
  it('fills defaults: Socket Mode, 5 min group cache, mention-only replies, dry-run lines shown', () => {
    assert.deepEqual(slackSectionSchema.parse({ incidentChannel: 'C0INCIDENT' }), {
      mode: 'socket',
      port: 3000,
      incidentChannel: 'C0INCIDENT',
      approverGroupTtl: 300_000,
      replyWithoutMention: false,
      dryRunLines: true,
      stopGrace: 10_000,
    });
  });

  it('rejects what Slack would not accept, naming the key', () => {
    const bad: [unknown, RegExp][] = [
      [{}, /incidentChannel/],
      [{ incidentChannel: '#incidents' }, /channel id like C0123ABCD/],
      [{ incidentChannel: 'C0INCIDENT', mode: 'webhook' }, /mode/],
      [{ incidentChannel: 'C0INCIDENT', alertSources: { botIds: ['B0AM'] } }, /alertSources/],
      [{ incidentChannel: 'C0INCIDENT', approverGroupTtl: 'soon' }, /not a duration/],
      [{ incidentChannel: 'C0INCIDENT', digest: { channel: 'C0DIGEST' }, extra: true }, /extra/],
    ];
    for (const [input, message] of bad) {
      const result = slackSectionSchema.safeParse(input);
      assert.equal(result.success, false, JSON.stringify(input));
      assert.match(JSON.stringify(result.error?.issues), message);
    }
  });
});
