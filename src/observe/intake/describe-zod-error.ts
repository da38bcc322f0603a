import type { z } from 'zod';

/** `alerts[3].labels.pod: Too big: expected string to have <=16384 characters`, for at most three issues. */
export function describeZodError(error: z.ZodError, basePath: readonly PropertyKey[] = [], max = 3): string {
  const parts = error.issues
    .slice(0, max)
    .map((issue) => `${formatPath([...basePath, ...issue.path])}: ${issue.message}`);
  const more = error.issues.length - max;
  return more > 0 ? `${parts.join('; ')}; and ${more} more` : parts.join('; ');
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(body)';
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}
