// Selectors in the policy file use shell-style globs (`postgres-*`, `team-?`), nothing richer:
// an operator must be able to read a rule at 3 AM and know exactly which pods it covers.
const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`);
    cache.set(glob, re);
  }
  return re;
}

export function matchesGlob(value: string, glob: string): boolean {
  return globToRegExp(glob).test(value);
}

export function matchesAnyGlob(value: string, globs: readonly string[]): boolean {
  return globs.some((glob) => matchesGlob(value, glob));
}
