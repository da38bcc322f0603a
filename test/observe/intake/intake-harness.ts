import { readFileSync } from 'node:fs';
import type { Alert } from '../../../src/domain/index.ts';
import { createCorrelator, InMemoryIncidentStore } from '../../../src/observe/correlate/index.ts';
import {
  createIntakeServer,
  type IntakeServer,
  type IntakeServerOptions,
} from '../../../src/observe/intake/index.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { RecordingLogger } from '../../fakes/recording-logger.ts';

export const AM_TOKEN = 'secret-am-token';
export const PD_SECRETS = ['old-pd-secret', 'new-pd-secret'];

export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
}

export interface Harness {
  readonly intake: IntakeServer;
  readonly url: string;
  readonly store: InMemoryIncidentStore;
  readonly delivered: Alert[][];
  readonly logger: RecordingLogger;
  post(
    path: string,
    body: string | Buffer,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/** Intake wired as production wires it: server → queue → correlator → store, on 127.0.0.1:0. */
export async function startHarness(overrides: Partial<IntakeServerOptions> = {}): Promise<Harness> {
  const clock = new ManualClock();
  const store = new InMemoryIncidentStore();
  const correlator = createCorrelator({ store, clock });
  const delivered: Alert[][] = [];
  const logger = new RecordingLogger();
  const intake = createIntakeServer({
    onAlerts: async (alerts) => {
      delivered.push(alerts);
      await correlator.ingest(alerts);
    },
    deliveries: store,
    clock,
    logger,
    alertmanager: { auth: { type: 'bearer', token: AM_TOKEN } },
    pagerduty: { secrets: PD_SECRETS },
    ...overrides,
  });
  const { port } = await intake.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  return {
    intake,
    url,
    store,
    delivered,
    logger,
    async post(path, body, headers = {}) {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      return { status: response.status, body: await response.text() };
    },
    close: () => intake.close(),
  };
}
