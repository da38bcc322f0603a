import { ApiException } from '@kubernetes/client-node';
import type { ReadToolResult } from '../read-tool.ts';

/** A failed read goes back to the model as data: what failed and why, never a stack trace. */
export function toolError(what: string, error: unknown): ReadToolResult {
  if (error instanceof ApiException) {
    let message = String(error.body).slice(0, 300);
    try {
      message = (JSON.parse(String(error.body)) as { message?: string }).message ?? message;
    } catch {
      // not a Status object; keep the raw text
    }
    return { data: { error: `${what} failed: ${error.code} ${message}` } };
  }
  const name = (error as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return { data: { error: `${what} timed out` } };
  return { data: { error: `${what} failed: ${error instanceof Error ? error.message : String(error)}` } };
}

export function unknownCluster(cluster: string): ReadToolResult {
  return { data: { error: `Belay has no read access to cluster "${cluster}"` } };
}
