import { appendPath } from './secrets';

function isTree(v: unknown): v is Record<string, unknown> | unknown[] {
  return !!v && typeof v === 'object';
}

function child(
  tree: Record<string, unknown> | unknown[],
  key: string | number,
): unknown {
  return Array.isArray(tree)
    ? tree[key as number]
    : (tree as Record<string, unknown>)[key];
}

/**
 * The paths at which two values trees differ: a scalar changed, or a key
 * or list item present on one side only (named once, not each leaf under
 * it). In the order of the first tree, then keys only in the second.
 * @public
 */
export function changedKeys(before: unknown, after: unknown): string[] {
  const changed: string[] = [];
  const walk = (a: unknown, b: unknown, at: string) => {
    if (isTree(a) && isTree(b) && Array.isArray(a) === Array.isArray(b)) {
      const keys = Array.isArray(a)
        ? Array.from(
            { length: Math.max(a.length, (b as unknown[]).length) },
            (_, i) => i,
          )
        : [...new Set([...Object.keys(a), ...Object.keys(b)])];
      for (const key of keys) {
        const has = (t: object) =>
          Array.isArray(t) ? (key as number) < t.length : Object.hasOwn(t, key);
        const next = appendPath(at, key);
        if (has(a) && has(b)) walk(child(a, key), child(b, key), next);
        else changed.push(next);
      }
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) changed.push(at);
  };
  walk(before, after, '');
  return changed;
}
