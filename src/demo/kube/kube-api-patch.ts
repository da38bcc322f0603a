// JSON helpers the fake Kubernetes API server needs: the three patch types, label and field selectors.
// The embedded API server accepts arbitrary JSON, so it works on a loose object type.

// biome-ignore lint/suspicious/noExplicitAny: the fake API server stores arbitrary Kubernetes JSON
export type Loose = any;

export class PatchError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

/** RFC 7386. Strategic merge patch is treated the same way: the fake only sees map-shaped patches. */
export function mergePatch(target: Loose, patch: Loose): Loose {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Loose = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function pointer(path: string): string[] {
  if (!path.startsWith('/')) throw new PatchError(422, `invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** RFC 6902: add, replace, remove, test. */
export function jsonPatch(target: Loose, ops: Loose): Loose {
  if (!Array.isArray(ops)) throw new PatchError(400, 'a JSON patch must be an array of operations');
  const doc = structuredClone(target);
  for (const op of ops) {
    const parts = pointer(String(op.path));
    const last = parts.pop() as string;
    let parent = doc;
    for (const part of parts) {
      if (parent?.[part] === undefined) throw new PatchError(422, `path ${op.path} does not exist`);
      parent = parent[part];
    }
    switch (op.op) {
      case 'add':
      case 'replace':
        if (op.op === 'replace' && parent[last] === undefined)
          throw new PatchError(422, `replace operation does not apply: doc is missing key: ${op.path}`);
        parent[last] = structuredClone(op.value);
        break;
      case 'remove':
        delete parent[last];
        break;
      case 'test':
        if (JSON.stringify(parent[last]) !== JSON.stringify(op.value))
          throw new PatchError(422, `testing value ${op.path} failed`);
        break;
      default:
        throw new PatchError(400, `unsupported JSON patch operation "${op.op}"`);
    }
  }
  return doc;
}

/** Equality, inequality, set-based and existence requirements, comma-separated (AND). */
export function labelSelectorMatches(selector: string | null, labels: Record<string, string>): boolean {
  if (!selector) return true;
  const requirements = selector.match(/([^,(]+(\([^)]*\))?)/g) ?? [];
  return requirements.every((raw) => {
    const req = raw.trim();
    let m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req);
    if (m) {
      const values = (m[3] ?? '').split(',').map((v) => v.trim());
      const has = labels[m[1] as string] !== undefined && values.includes(labels[m[1] as string] as string);
      return m[2] === 'in' ? has : !has;
    }
    m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(req);
    if (m) {
      const equal = labels[m[1] as string] === m[3];
      return m[2] === '!=' ? !equal : equal;
    }
    if (req.startsWith('!')) return labels[req.slice(1)] === undefined;
    return labels[req] !== undefined;
  });
}

export function fieldSelectorMatches(selector: string | null, obj: Loose): boolean {
  if (!selector) return true;
  return selector.split(',').every((raw) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(raw.trim());
    if (!m) throw new PatchError(400, `invalid field selector "${raw}"`);
    const value = (m[1] as string).split('.').reduce((o: Loose, k) => o?.[k], obj);
    const equal = String(value ?? '') === m[3];
    return m[2] === '!=' ? !equal : equal;
  });
}
