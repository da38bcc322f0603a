// With OPENAI_BASE_URL set, the playground's Belay investigates with that model instead of its rules: the
// same card, written from the model's findings, and the policy still decides.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Playground, startPlayground } from '../../src/demo/playground.ts';
import { INCIDENTS } from '../../src/demo/playground-config.ts';
import { eventually } from '../e2e/support.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai-server.ts';

describe('the playground with a model endpoint', () => {
  let model: FakeOpenAI;
  let pg: Playground;

  before(async () => {
    model = await startFakeOpenAI({ mode: 'schema' });
    pg = await startPlayground({
      start: new Date('2026-03-14T02:16:00Z'),
      logLevel: 'silent',
      model: { baseURL: model.baseURL, model: 'playground-model' },
    });
  });
  after(async () => {
    await pg?.stop();
    await model?.close();
  });

  it('asks the model about the 02:17 alert, and the backup still blocks the restart', async () => {
    await fetch(new URL('demo/alerts', pg.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: 'memory' }),
    });
    const card = await eventually('the card', () =>
      pg.channels.list(INCIDENTS).find((m) => /PodMemoryHigh/.test(m.text)),
    );
    assert.ok(model.requests.length > 0, 'the model was asked');
    assert.ok(model.requests.every((r) => (r.body as { model?: string }).model === 'playground-model'));
    assert.doesNotMatch(JSON.stringify(card.blocks), /Belay's rules\* \(`/, 'not the deterministic orienter');
    assert.match(
      card.text,
      /Blocked: restart pod databases\/postgres-0 — backup job postgres-backup-\d+ has been running/,
    );
  });
});
