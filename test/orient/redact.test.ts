import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isSecretKey, redact, redactDeep } from '../../src/orient/index.ts';

interface Corpus {
  cases: { where: string; text: string; secrets: string[]; keep: string[] }[];
  untouched: string[];
}
const read = (path: string): Corpus => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
// The first corpus, and the spellings an outside review found leaking (issue 9): env dumps, flags, Go header
// maps, split PEM keys, Slack webhooks, GitLab/npm tokens, and the counters that are not secrets.
const corpora = [read('../fixtures/orient/secrets-corpus.json'), read('../fixtures/redaction-corpus.json')];
const corpus: Corpus = {
  cases: corpora.flatMap((c) => c.cases),
  untouched: corpora.flatMap((c) => c.untouched),
};

describe('redact', () => {
  for (const [i, c] of corpus.cases.entries()) {
    it(`removes every secret from ${c.where} #${i} and keeps the context`, () => {
      const out = redact(c.text);
      for (const secret of c.secrets) assert.ok(!out.includes(secret), `${secret} survived in: ${out}`);
      for (const keep of c.keep) assert.ok(out.includes(keep), `"${keep}" was lost from: ${out}`);
      assert.match(out, /\[REDACTED:[a-z-]+\]/);
    });
  }

  it('leaves ordinary incident text alone', () => {
    for (const text of corpus.untouched) assert.equal(redact(text), text, text);
  });

  it('is idempotent', () => {
    for (const c of corpus.cases) {
      const once = redact(c.text);
      assert.equal(redact(once), once);
    }
  });

  it('stays linear on hostile input: 200 KB of near-secrets in well under a second each', () => {
    // Logs are attacker-controlled; a regex that backtracks quadratically would stall every investigation.
    const hostile = [
      `"password":"${'\\x'.repeat(100_000)}`,
      `postgres://u:${'p'.repeat(200_000)}`,
      `a://${'b:'.repeat(100_000)}`,
      `Authorization: ${'Bearer '.repeat(30_000)}`,
      'password='.repeat(25_000),
      '"token":"'.repeat(25_000),
      '{"name":"DB_PASSWORD","value":"'.repeat(7_000),
      'passwordpasswordpassword'.repeat(8_000),
      `${'a'.repeat(200_000)} "password":"${'\\'.repeat(50_000)}`,
      'aB3+'.repeat(50_000),
      `${'aB3/'.repeat(16)}\n`.repeat(3_000),
      `postgres://u:${'p@'.repeat(100_000)}`,
      '\\npassword: x'.repeat(15_000),
      '--password '.repeat(20_000),
      `${'Zz9'.repeat(20)}\n -----END `.repeat(5_000),
    ];
    for (const text of hostile) {
      const started = performance.now();
      redact(text);
      const ms = performance.now() - started;
      assert.ok(ms < 1_500, `${text.slice(0, 30)}… took ${Math.round(ms)}ms`);
    }
  });

  it('finds secrets when the same lines arrive JSON-encoded inside a tool result', () => {
    const encoded = JSON.stringify({ logs: corpus.cases.map((c) => c.text) });
    const out = redact(encoded);
    for (const c of corpus.cases)
      for (const secret of c.secrets) assert.ok(!out.includes(secret), `${secret} survived encoding`);
  });
});

describe('redactDeep', () => {
  it('redacts values under secret keys, env entries by name, and strings anywhere', () => {
    const input = {
      metadata: { annotations: { 'vault.example.com/token': 's.AbCdEf123456', owner: 'team-api' } },
      env: [
        { name: 'DB_PASSWORD', value: 'hunter2' },
        { name: 'PORT', value: '8080' },
      ],
      volumes: [{ secret: { secretName: 'db-credentials' } }],
      logs: ['connect postgres://u:p4ss@db:5432/x'],
      restartCount: 7,
    };
    const out = redactDeep(input) as typeof input;
    const text = JSON.stringify(out);
    for (const secret of ['s.AbCdEf123456', 'hunter2', 'p4ss']) assert.ok(!text.includes(secret), secret);
    assert.equal(out.env[1]?.value, '8080');
    assert.equal(out.volumes[0]?.secret.secretName, 'db-credentials');
    assert.equal(out.metadata.annotations.owner, 'team-api');
    assert.equal(out.restartCount, 7);
    assert.equal(input.env[0]?.value, 'hunter2', 'the input is not modified');
  });

  it('tells secret-holding keys from keys that only name a secret', () => {
    for (const key of ['password', 'DB_PASSWORD', 'client_secret', 'apiKey', 'x-auth-token', 'AccountKey'])
      assert.ok(isSecretKey(key), key);
    for (const key of ['DB_PASS', 'MYSQL_PWD', 'dbPass', 'passphrase', 'access_token', 'auth_token'])
      assert.ok(isSecretKey(key), key);
    for (const key of [
      'secretName',
      'tokenPath',
      'prompt_tokens',
      'promptTokens',
      'completionTokens',
      'PWD',
      'bypass',
      'owner',
      'restartCount',
    ])
      assert.ok(!isSecretKey(key), key);
  });
});

describe('redactDeep on log lines given as a list', () => {
  it('redacts a private key split over items, up to its END line, and keeps the lines around it', () => {
    const lines = [
      '02:17:01 loading TLS material',
      '02:17:01 -----BEGIN RSA PRIVATE KEY-----',
      '02:17:01 MIIEowIBAAKCAQEA7bq9xTc1lWv0QGQ8',
      '02:17:01 Kx1vJq2Hn3bFq0d9vG9l8tQ=',
      '02:17:01 -----END RSA PRIVATE KEY-----',
      '02:17:02 listening on :8443',
    ];
    const out = redactDeep({ logs: lines }) as { logs: string[] };
    const text = out.logs.join('\n');
    for (const secret of ['MIIEowIBAAKCAQEA7bq9xTc1lWv0QGQ8', 'Kx1vJq2Hn3bFq0d9vG9l8tQ='])
      assert.ok(!text.includes(secret), secret);
    assert.equal(out.logs[0], lines[0]);
    assert.equal(out.logs[5], lines[5], 'the line after the key is read again');
    assert.equal(out.logs.length, lines.length);
  });
});

describe('the model.reasoning audit record', () => {
  it('keeps the spend readable: token counts are numbers, not secrets', () => {
    // The shape incident-pipeline appends: the orientation view and the whole result, through redactDeep.
    const spend = { promptTokens: 1200, completionTokens: 80, toolCalls: 3 };
    const data = redactDeep({
      orientation: { summary: 'postgres-0 over its memory limit', spend },
      result: { spend: { ...spend, usageReported: true }, usage: { prompt_tokens: 1200 } },
    }) as { orientation: { spend: typeof spend }; result: { spend: typeof spend } };
    assert.deepEqual(data.orientation.spend, spend);
    assert.equal(data.result.spend.promptTokens, 1200);
    assert.equal(data.result.spend.completionTokens, 80);
  });
});
