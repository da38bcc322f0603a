import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { intakeSectionSchema } from '../../src/config/sections/intake.ts';

describe('config: intake.metricsPort', () => {
  it('is absent by default, so /metrics is served on the intake port', () => {
    assert.equal(intakeSectionSchema.parse(undefined).metricsPort, undefined);
    assert.equal(intakeSectionSchema.parse({ metricsPort: 9464 }).metricsPort, 9464);
  });

  it('refuses the intake port itself and ports that do not exist, naming the key', () => {
    for (const [intake, message] of [
      [{ port: 8080, metricsPort: 8080 }, /intake port \(8080\) too; leave metricsPort out/],
      [{ metricsPort: 0 }, /./],
      [{ metricsPort: 70_000 }, /./],
      [{ metricsPort: '9464' }, /./],
    ] as const) {
      const result = intakeSectionSchema.safeParse(intake);
      assert.equal(result.success, false, JSON.stringify(intake));
      assert.deepEqual(result.error?.issues[0]?.path, ['metricsPort']);
      assert.match(result.error?.issues[0]?.message ?? '', message);
    }
  });
});
