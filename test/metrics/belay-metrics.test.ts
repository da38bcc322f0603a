// The recording side of /metrics: the audit trail read into counters, and the hooks the intake queue,
// the Slack send queue and the state store call, each checked through a scrape of the registry.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { webApi } from '@slack/bolt';
import { Registry } from 'prom-client';
import type { AuditEvent } from '../../src/domain/index.ts';
import { createStateStore, STATE_FILE_NAME } from '../../src/govern/store/index.ts';
import { createBelayMetrics, recordAuditEvent } from '../../src/metrics/index.ts';
import { createWorkQueue } from '../../src/observe/intake/work-queue.ts';
import { createSendQueue } from '../../src/slack/send-queue.ts';
import { callSlack } from '../../src/slack/slack-api.ts';
import { recordingLogger } from '../fakes/recording-logger.ts';
import { startFakeSlackApi } from '../fakes/slack-api-server.ts';
import { manualClock } from '../govern/store/sample-records.ts';
import { tempDir } from '../govern/store/temp-dir.ts';
import { parsePrometheusText } from '../support/prometheus-text.ts';

function metricsWith(sources: Partial<Parameters<typeof createBelayMetrics>[0]['sources']> = {}) {
  const registry = new Registry();
  const metrics = createBelayMetrics({
    registry,
    ruleNames: ['crashloop-restart'],
    sources: {
      openIncidents: () => 0,
      frozen: () => false,
      paused: () => false,
      intakeBacklog: () => ({ size: 0, oldestAgeSeconds: 0 }),
      slackQueueDepth: () => 0,
      ...sources,
    },
  });
  const scrape = async () => parsePrometheusText(await registry.metrics());
  const value = async (name: string, labels: Record<string, string> = {}, sample = name) => {
    const family = (await scrape()).get(name);
    return family?.samples.find(
      (s) => s.name === sample && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    )?.value;
  };
  return { metrics, registry, value };
}

let seq = 0;
const event = (type: AuditEvent['type'], data: Record<string, unknown>, proposalId = 'p-1'): AuditEvent => ({
  schemaVersion: 1,
  seq: ++seq,
  at: '2026-12-03T02:17:00.000Z',
  type,
  actor: { type: 'bot', id: 'belay' },
  proposalId,
  summary: 'x',
  data,
});

describe('metrics read off the audit trail', () => {
  const actionOf = (id: string | undefined) => (id === 'p-1' ? 'rollout-restart' : undefined);

  it('counts executions and reverts by action and outcome, and times verification', async () => {
    const { metrics, value } = metricsWith();
    const finished = (status: string, waitedMs?: number) =>
      event('execution.finished', {
        outcome: {
          status,
          message: 'm',
          ...(waitedMs ? { verification: { ok: true, detail: 'd', waitedMs } } : {}),
        },
      });
    recordAuditEvent(metrics, finished('succeeded', 42_000), actionOf);
    recordAuditEvent(metrics, finished('verification-failed', 300_000), actionOf);
    recordAuditEvent(metrics, event('execution.finished', { interruptedIn: 'executing' }), actionOf);
    recordAuditEvent(
      metrics,
      event('revert.finished', { outcome: { status: 'made-up' } }, 'p-gone'),
      actionOf,
    );
    const executions = 'belay_executions_total';
    assert.equal(await value(executions, { action: 'rollout-restart', outcome: 'succeeded' }), 1);
    assert.equal(await value(executions, { action: 'rollout-restart', outcome: 'verification-failed' }), 1);
    assert.equal(await value(executions, { action: 'rollout-restart', outcome: 'interrupted' }), 1);
    assert.equal(await value('belay_reverts_total', { action: 'other', outcome: 'other' }), 1);
    const verification = 'belay_verification_duration_seconds';
    assert.equal(await value(verification, { action: 'rollout-restart' }, `${verification}_count`), 2);
    assert.equal(await value(verification, { action: 'rollout-restart' }, `${verification}_sum`), 342);
    assert.equal(
      await value(verification, { action: 'rollout-restart', le: '60' }, `${verification}_bucket`),
      1,
    );
  });

  it('counts proposals by disposition, rule and action, and an unknown rule as other', async () => {
    const { metrics, value } = metricsWith();
    const created = (rule: string) =>
      event('proposal.created', {
        action: { kind: 'restart-pod', namespace: 'staging', pod: 'api-7d9f-x2' },
        verdict: { disposition: 'approval', rule: { name: rule } },
      });
    recordAuditEvent(metrics, created('crashloop-restart'), actionOf);
    recordAuditEvent(metrics, created('a rule someone deleted'), actionOf);
    recordAuditEvent(
      metrics,
      event('proposal.created', { action: { kind: 'scale' }, verdict: {} }),
      actionOf,
    );
    const proposals = 'belay_proposals_total';
    assert.equal(await value(proposals, { disposition: 'approval', rule: 'crashloop-restart' }), 1);
    assert.equal(
      await value(proposals, { disposition: 'approval', rule: 'other', action: 'restart-pod' }),
      1,
    );
    assert.equal(await value(proposals, { disposition: 'other', rule: 'none', action: 'scale' }), 1);
  });

  it('counts gate refusals by a bounded reason', async () => {
    const { metrics, value } = metricsWith();
    for (const data of [
      { reason: 'rate_limit' },
      { reason: 'policy' },
      { move: 'lift' },
      { reason: 'free text' },
      {},
    ])
      recordAuditEvent(metrics, event('approval.refused', data), actionOf);
    const refusals = 'belay_gate_refusals_total';
    assert.equal(await value(refusals, { reason: 'rate_limit' }), 1);
    assert.equal(await value(refusals, { reason: 'policy' }), 1);
    assert.equal(await value(refusals, { reason: 'switch' }), 1);
    assert.equal(await value(refusals, { reason: 'other' }), 1);
    assert.equal(await value(refusals, { reason: 'not_allowed' }), 1);
  });

  it("counts model fallbacks by the reason the orienter wrote, and not the model's own answers", async () => {
    const { metrics, value } = metricsWith();
    const reasoning = (origin: object) => event('model.reasoning', { result: { origin } });
    const fell = (fallbackReason: string) => reasoning({ type: 'deterministic', rule: 'r', fallbackReason });
    recordAuditEvent(metrics, fell('no model is configured'), actionOf);
    recordAuditEvent(metrics, fell('the model did not answer within 30s after 3 attempts'), actionOf);
    recordAuditEvent(metrics, fell('the model endpoint answered 500 after 3 attempts: boom'), actionOf);
    recordAuditEvent(metrics, fell('the model twice gave no valid findings'), actionOf);
    recordAuditEvent(
      metrics,
      fell('the token budget of this incident is spent (9 of 8 prompt tokens used)'),
      actionOf,
    );
    recordAuditEvent(metrics, reasoning({ type: 'model', promptVersion: 'v' }), actionOf);
    const fallbacks = 'belay_model_fallbacks_total';
    for (const reason of ['no_model', 'time_budget', 'model_error', 'invalid_output', 'token_budget'])
      assert.equal(await value(fallbacks, { reason }), 1, reason);
  });
});

describe('metrics hooks in the queues and the store', () => {
  it('the intake queue reports its backlog and the age of its oldest unprocessed item', async () => {
    let now = 1_000;
    let release = () => {};
    const queue = createWorkQueue<number>({
      capacity: 10,
      now: () => now,
      process: () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
      onError: () => undefined,
    });
    const { value } = metricsWith({
      intakeBacklog: () => ({ size: queue.size, oldestAgeSeconds: queue.oldestAgeMs() / 1_000 }),
    });
    assert.equal(queue.oldestAgeMs(), 0);
    queue.reserve()?.fill(1);
    now = 3_000;
    queue.reserve()?.fill(2);
    now = 8_500;
    assert.equal(await value('belay_intake_backlog'), 2);
    assert.equal(await value('belay_intake_oldest_unprocessed_age_seconds'), 7.5);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(
      await value('belay_intake_oldest_unprocessed_age_seconds'),
      5.5,
      'the second item is now the oldest',
    );
    release();
    await queue.idle();
    assert.equal(await value('belay_intake_oldest_unprocessed_age_seconds'), 0);
  });

  it('the Slack send queue reports its depth and each 429 it retries', async () => {
    const slack = await startFakeSlackApi();
    try {
      const { metrics, value } = metricsWith();
      let gate = () => {};
      const waiting = new Promise<void>((resolve) => {
        gate = resolve;
      });
      const queue = createSendQueue({
        logger: recordingLogger(),
        sleep: () => waiting,
        onRetry: (reason) => metrics.slackRetry(reason),
      });
      const client = new webApi.WebClient('xoxb-test-token', {
        slackApiUrl: slack.apiUrl,
        retryConfig: { retries: 0 },
      });
      slack.rateLimit('chat.postMessage', 1, 0);
      const sends = ['a', 'b'].map((text) =>
        queue.send('C0A', () => callSlack(client, 'chat.postMessage', { channel: 'C0A', text })),
      );
      assert.equal(queue.pending, 2);
      while ((await value('belay_slack_send_retries_total', { reason: 'rate_limited' })) === 0)
        await new Promise((resolve) => setTimeout(resolve, 5));
      gate();
      await Promise.all(sends);
      assert.equal(queue.pending, 0);
      assert.equal(await value('belay_slack_send_retries_total', { reason: 'rate_limited' }), 1);
      assert.equal(await value('belay_slack_send_retries_total', { reason: 'transient' }), 0);
    } finally {
      await slack.close();
    }
  });

  it('the state store reports each write, and a failed one as a failure', async (t) => {
    const { metrics, value } = metricsWith();
    const dir = await tempDir(t);
    const store = await createStateStore({
      dir,
      clock: manualClock(),
      onWrite: (seconds, ok) => metrics.storeWrite('state', seconds, ok),
    });
    await store.recordApproved('k1');
    const writes = 'belay_store_write_duration_seconds';
    assert.equal(await value(writes, { store: 'state' }, `${writes}_count`), 1);
    assert.equal(await value('belay_store_write_failures_total', { store: 'state' }), 0);
    await mkdir(join(dir, `.${STATE_FILE_NAME}.tmp`));
    await assert.rejects(store.recordApproved('k2'));
    assert.equal(await value(writes, { store: 'state' }, `${writes}_count`), 2);
    assert.equal(await value('belay_store_write_failures_total', { store: 'state' }), 1);
  });
});
