import type { UntrustedQuote } from './orient-result.ts';

// Text in cluster data that talks to the reader instead of describing the system. Found by code, not by
// the model, so an injection is shown to the engineer as a quote even when the model was fooled by it.
const INSTRUCTION_LIKE: readonly RegExp[] = [
  /\b(ignore|disregard|forget|override)\b.{0,40}\b(previous|prior|above|earlier|all|your|system)\b.{0,20}\b(instructions?|prompts?|rules?|guidelines?)\b/i,
  /\b(approved|authori[sz]ed|signed[- ]off|cleared)\s+by\s+(the\s+)?(admin|administrator|on-?call|sre|security|management|root|cto|ops)\b/i,
  /\b(you are now|new instructions|system prompt|as an ai|assistant:|\[system\])/i,
  /\b(scale|set|reduce)\b.{0,40}\b(everything|all|every)\b.{0,40}\bto\s+(zero|0)\b/i,
  /\b(delete|drop|remove|destroy|wipe)\s+(the\s+)?(namespace|ns|cluster|everything|all|database|pvc|statefulset)\b/i,
  /\b(kubectl|helm|oc)\s+(delete|scale|apply|patch|exec|drain|cordon|rollout)\b/i,
  /\b(belay|bot|assistant|ai|agent)[,:]?\s+(please\s+)?(run|execute|restart|delete|scale|approve|propose)\b/i,
];

const MAX_QUOTE = 300;
const MAX_QUOTES = 10;

/** Every line of every string in `value` that reads like an instruction, with where it came from. */
export function findUntrustedQuotes(value: unknown, source: string): UntrustedQuote[] {
  const found: UntrustedQuote[] = [];
  const visit = (v: unknown): void => {
    if (found.length >= MAX_QUOTES) return;
    if (typeof v === 'string') {
      for (const line of v.split(/\r?\n/)) {
        if (found.length < MAX_QUOTES && INSTRUCTION_LIKE.some((p) => p.test(line)))
          found.push({ source, text: line.trim().slice(0, MAX_QUOTE) });
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(visit);
  };
  visit(value);
  return found;
}

/** Keeps the first of each quote and at most MAX_QUOTES in all. */
export function mergeQuotes(...lists: readonly (readonly UntrustedQuote[])[]): UntrustedQuote[] {
  const seen = new Set<string>();
  const out: UntrustedQuote[] = [];
  for (const quote of lists.flat()) {
    if (seen.has(quote.text) || out.length >= MAX_QUOTES) continue;
    seen.add(quote.text);
    out.push(quote);
  }
  return out;
}
