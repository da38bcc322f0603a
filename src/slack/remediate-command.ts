import { parseDuration } from '../domain/index.ts';
import { type ActionRequest, parseActionWords } from '../govern/action-request.ts';
import { parseTarget } from '../govern/parse-target.ts';
import type { PromoteRequest, TargetRef } from '../govern/service.ts';
import { parseReplay } from './replay-command.ts';

/** What `/remediate <text>` asks for, once parsed. */
export type RemediateCommand =
  | { readonly type: 'help'; readonly note?: string }
  | { readonly type: 'status' }
  | { readonly type: 'propose'; readonly request: ActionRequest; readonly target: TargetRef }
  | { readonly type: 'explain'; readonly request: ActionRequest; readonly target: TargetRef }
  | { readonly type: 'freeze'; readonly on: boolean; readonly reason?: string; readonly forMs?: number }
  | { readonly type: 'pause' | 'resume'; readonly reason?: string }
  | { readonly type: 'windows'; readonly target?: TargetRef }
  | { readonly type: 'audit'; readonly incidentId?: string; readonly last?: number }
  | { readonly type: 'promote'; readonly rule: string; readonly mode: PromoteRequest['mode'] }
  | { readonly type: 'replay'; readonly rule?: string; readonly periodMs: number };

export type ParsedCommand = { ok: true; command: RemediateCommand } | { ok: false; message: string };

export const DEFAULT_AUDIT_LAST = 10;
export const MAX_AUDIT_LAST = 100;
const MAX_REASON = 500;
const INCIDENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** Parses the text after `/remediate`. Unknown subcommands answer with help; bad input with a clear message. */
export function parseRemediateCommand(text: string): ParsedCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [sub = 'help', ...rest] = words;
  switch (sub.toLowerCase()) {
    case 'help':
      return { ok: true, command: { type: 'help' } };
    case 'status':
      return { ok: true, command: { type: 'status' } };
    case 'propose':
    case 'explain':
      return parseActionCommand(sub.toLowerCase() as 'propose' | 'explain', rest);
    case 'freeze':
      return parseFreeze(rest);
    case 'pause':
    case 'resume':
      return withReason(rest, (reason) => ({ type: sub.toLowerCase() as 'pause' | 'resume', reason }));
    case 'windows':
      return parseWindows(rest);
    case 'audit':
      return parseAudit(rest);
    case 'promote':
      return parsePromote(rest);
    case 'replay':
      return parseReplay(rest);
    default:
      return {
        ok: true,
        command: { type: 'help', note: `"${sub.slice(0, 40)}" is not a /remediate subcommand.` },
      };
  }
}

function parseActionCommand(type: 'propose' | 'explain', rest: string[]): ParsedCommand {
  const [kind, targetText, ...argWords] = rest;
  if (!kind || !targetText) {
    return {
      ok: false,
      message: `${type} needs an action and a target, e.g. \`/remediate ${type} restart-pod databases/postgres-0\`.`,
    };
  }
  const parsed = parseActionWords(kind, targetText, argWords);
  if (!parsed.ok) return parsed;
  return { ok: true, command: { type, request: parsed.request, target: parsed.target } };
}

function parseFreeze(rest: string[]): ParsedCommand {
  const [state, ...tail] = rest;
  const on = state?.toLowerCase() === 'on';
  if (!on && state?.toLowerCase() !== 'off') {
    return { ok: false, message: 'Say `freeze on <reason> [for <duration>]` or `freeze off [reason]`.' };
  }
  let forMs: number | undefined;
  const forAt = tail.length >= 2 ? tail.length - 2 : -1;
  if (forAt >= 0 && tail[forAt]?.toLowerCase() === 'for') {
    const duration = tail[forAt + 1] ?? '';
    forMs = parseDuration(duration);
    if (forMs === undefined || forMs <= 0) {
      return {
        ok: false,
        message: `"${duration.slice(0, 20)}" is not a duration; write it like 30m, 2h or 1d.`,
      };
    }
    if (!on) return { ok: false, message: '`freeze off` takes no duration: it lifts the freeze now.' };
    tail.splice(forAt, 2);
  }
  if (on && tail.length === 0) {
    return {
      ok: false,
      message: 'Say why you freeze, so the team knows: `/remediate freeze on suspected breach [for 2h]`.',
    };
  }
  return withReason(tail, (reason) => ({ type: 'freeze', on, reason, ...(forMs ? { forMs } : {}) }));
}

function withReason(words: string[], build: (reason: string | undefined) => RemediateCommand): ParsedCommand {
  const reason = words.join(' ');
  if (reason.length > MAX_REASON) {
    return {
      ok: false,
      message: `Keep the reason under ${MAX_REASON} characters; it goes into every message.`,
    };
  }
  return { ok: true, command: build(reason || undefined) };
}

function parseWindows(rest: string[]): ParsedCommand {
  if (rest.length > 1) return { ok: false, message: 'Say `windows` or `windows <target>`, with one target.' };
  if (rest.length === 0) return { ok: true, command: { type: 'windows' } };
  const target = parseTarget(rest[0] ?? '');
  return target.ok ? { ok: true, command: { type: 'windows', target: target.target } } : target;
}

function parseAudit(rest: string[]): ParsedCommand {
  const [first, second, ...more] = rest;
  if (more.length > 0)
    return { ok: false, message: 'Say `audit`, `audit <incident-id>` or `audit last <N>`.' };
  if (!first) return { ok: true, command: { type: 'audit', last: DEFAULT_AUDIT_LAST } };
  if (first.toLowerCase() === 'last') {
    const n = Number(second);
    if (!second || !/^\d+$/.test(second) || n < 1 || n > MAX_AUDIT_LAST) {
      return { ok: false, message: `Say how many records, from 1 to ${MAX_AUDIT_LAST}: \`audit last 20\`.` };
    }
    return { ok: true, command: { type: 'audit', last: n } };
  }
  if (second !== undefined || !INCIDENT_ID.test(first)) {
    return {
      ok: false,
      message: `"${first.slice(0, 40)}" is not an incident id; say \`audit <incident-id>\` or \`audit last <N>\`.`,
    };
  }
  return { ok: true, command: { type: 'audit', incidentId: first } };
}

const PROMOTE_MODES = ['suggest', 'approval', 'auto'] as const;
const RULE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

function parsePromote(rest: string[]): ParsedCommand {
  const [rule, mode, ...more] = rest;
  const usage =
    'Say `promote <rule> suggest|approval|auto`, e.g. `/remediate promote crashloop-restart auto`.';
  if (!rule || !mode || more.length > 0) return { ok: false, message: usage };
  if (!RULE_NAME.test(rule)) {
    return {
      ok: false,
      message: `"${rule.slice(0, 40)}" is not a rule name (lower-case letters, digits and "-"). ${usage}`,
    };
  }
  const wanted = PROMOTE_MODES.find((m) => m === mode.toLowerCase());
  if (!wanted) {
    return {
      ok: false,
      message: `"${mode.slice(0, 20)}" is not a mode a rule can be promoted to; say suggest, approval or auto. A rule goes back to dry-run only in the policy file.`,
    };
  }
  return { ok: true, command: { type: 'promote', rule, mode: wanted } };
}
