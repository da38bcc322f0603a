import type { Clock } from '../../src/domain/index.ts';
import {
  createDailyTokenBudget,
  createOpenAIClient,
  DEFAULT_BUDGETS,
  type ModelPort,
  type OrientBudgets,
} from '../../src/orient/index.ts';
import type { FakeOpenAI, ScriptedToolCall } from '../fakes/openai-server.ts';
import { NOW } from '../fixtures/orient/story.ts';

export const clock: Clock = { now: () => NOW };

export function modelPort(
  fake: FakeOpenAI,
  over: {
    budgets?: Partial<OrientBudgets>;
    maxRetries?: number;
    requestTimeoutMs?: number;
    dailyUsed?: number;
  } = {},
): ModelPort {
  const budgets = { ...DEFAULT_BUDGETS, ...over.budgets };
  const requestTimeoutMs = over.requestTimeoutMs ?? 5_000;
  const maxRetries = over.maxRetries ?? 0;
  return {
    client: createOpenAIClient({ baseURL: fake.baseURL, apiKey: 'test-key', requestTimeoutMs, maxRetries }),
    model: 'gpt-test',
    requestTimeoutMs,
    maxRetries,
    budgets,
    daily: createDailyTokenBudget(budgets.dailyTokens, {
      day: NOW.toISOString().slice(0, 10),
      used: over.dailyUsed ?? 0,
    }),
  };
}

export const call = (name: string, args: unknown, id?: string): ScriptedToolCall => ({
  name,
  arguments: typeof args === 'string' ? args : JSON.stringify(args),
  ...(id ? { id } : {}),
});

/**
 * A scripted model's findings, written as the schema requires: every field present (null when unused), and
 * a proposal's target in the fixtures' cluster (homelab) unless the test names another one.
 */
export const submit = (findings: Record<string, unknown>, id?: string): ScriptedToolCall =>
  call(
    'submit_findings',
    {
      suspectedCause: null,
      proposal: null,
      needsHuman: null,
      humanAction: null,
      untrustedQuotes: [],
      ...findings,
      ...(isProposal(findings.proposal) ? { proposal: withCluster(findings.proposal) } : {}),
    },
    id,
  );

type ScriptedProposal = { action: { target?: Record<string, unknown> } & Record<string, unknown> };
const isProposal = (p: unknown): p is ScriptedProposal =>
  typeof p === 'object' && p !== null && typeof (p as ScriptedProposal).action === 'object';
const withCluster = (p: ScriptedProposal): ScriptedProposal =>
  p.action.target && !('cluster' in p.action.target)
    ? { ...p, action: { ...p.action, target: { cluster: 'homelab', ...p.action.target } } }
    : p;
