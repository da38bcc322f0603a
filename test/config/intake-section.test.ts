import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { intakeSecrets, intakeSectionSchema } from '../../src/config/sections/intake.ts';

describe('config: the intake section', () => {
  it('defaults to a closed door: no sources, fail-closed calendars', () => {
    const intake = intakeSectionSchema.parse(undefined);
    assert.equal(intake.port, 8080);
    assert.equal(intake.alertmanager, undefined);
    assert.equal(intake.calendars.failClosed, true);
    assert.equal(intake.correlation.stormWindow, 300_000);
    assert.deepEqual(intake.health, {
      maxEventLoopStall: 5_000,
      stallWindow: 30_000,
      maxBacklogAge: 300_000,
      slackDownGrace: 15_000,
    });
  });

  it('reads durations and sources the way an operator writes them', () => {
    const intake = intakeSectionSchema.parse({
      alertmanager: { auth: { bearer: {} } },
      pagerduty: {
        apiTokenEnv: 'PD_TOKEN',
        serviceLabels: { PSHOP: { cluster: 'homelab', namespace: 'shop' } },
      },
      slack: { sources: [{ kind: 'alertmanager', botIds: ['B0AM'], groupBy: ['alertname', 'namespace'] }] },
      calendars: {
        alertmanagerSilences: { url: 'http://alertmanager:9093', timeout: '1s' },
        pagerdutyMaintenance: { services: [{ id: 'PSHOP', selector: { namespaces: ['shop'] } }] },
      },
    });
    assert.equal(intake.calendars.alertmanagerSilences?.timeout, 1_000);
    assert.equal(intake.calendars.pagerdutyMaintenance?.cache, 60_000);
    assert.equal(intake.slack.sources[0]?.appIds.length, 0);
    assert.equal(intake.pagerduty?.serviceLabels.PSHOP?.namespace, 'shop');
  });

  it('refuses what would silently do nothing, naming the key', () => {
    const cases: [unknown, RegExp][] = [
      [{ slack: { sources: [{ kind: 'alertmanager' }] } }, /botIds or appIds/],
      [{ slack: { sources: [{ kind: 'alertmanager', botIds: ['nope'] }] } }, /Slack bot id/],
      [{ calendars: { pagerdutyMaintenance: { services: [{ id: 'P', selector: {} }] } } }, /apiTokenEnv/],
      [{ alertmanager: { auth: { bearer: { token: 'inline-secret' } } } }, /token/],
      [{ alertmanager: { auth: {} } }, /bearer or basic/],
      [{ port: 0 }, /port/],
      [{ health: { maxEventLoopStall: 'soon' } }, /not a duration/],
      [{ health: { maxStall: '5s' } }, /maxStall/],
      [{ health: { maxBacklogAge: 0 } }, /longer than 0/],
      [{ calendars: { alertmanagerSilences: { url: 'http://am', timeout: 'soon' } } }, /not a duration/],
    ];
    for (const [input, message] of cases) {
      const result = intakeSectionSchema.safeParse(input);
      assert.equal(result.success, false, JSON.stringify(input));
      assert.match(JSON.stringify(result.error?.issues), message);
    }
  });

  it('reads secrets from the environment it is given, and names the missing ones', () => {
    const intake = intakeSectionSchema.parse({
      alertmanager: { auth: { basic: { username: 'am' } } },
      pagerduty: {},
    });
    assert.deepEqual(intakeSecrets(intake, {}), {
      ok: false,
      missing: ['BELAY_ALERTMANAGER_PASSWORD', 'BELAY_PAGERDUTY_WEBHOOK_SECRETS'],
    });
    assert.deepEqual(
      intakeSecrets(intake, {
        BELAY_ALERTMANAGER_PASSWORD: 'pw',
        BELAY_PAGERDUTY_WEBHOOK_SECRETS: 'old, new',
      }),
      {
        ok: true,
        alertmanagerAuth: [{ type: 'basic', username: 'am', password: 'pw' }],
        pagerdutySecrets: ['old', 'new'],
      },
    );
  });
});
