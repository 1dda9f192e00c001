import { changedKeys } from './changedKeys';
import { clipDepth, MAX_OBJECT_DEPTH, TOO_DEEP } from './clipDepth';
import { redactSecrets } from './secrets';

/** `{a: {a: ... leaf}}`, `depth` objects deep. */
function nested(depth: number, leaf: unknown): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let at = root;
  for (let i = 1; i < depth; i++) at = (at.a = {}) as typeof root;
  at.a = leaf;
  return root;
}

describe('clipDepth', () => {
  it('returns the very value when nothing is deeper than the bound', () => {
    const value = { spec: { values: [{ a: 1 }, 'b'], n: null } };
    expect(clipDepth(value)).toBe(value);
    expect(clipDepth(nested(MAX_OBJECT_DEPTH, 1))).toEqual(
      nested(MAX_OBJECT_DEPTH, 1),
    );
  });

  it('replaces the levels below the bound, copying only the path to them', () => {
    const sibling = { kept: true };
    const value = { sibling, deep: nested(20_000, 'leaf') };
    const clipped = clipDepth(value);
    expect(clipped.sibling).toBe(sibling);
    let at: any = clipped.deep;
    let depth = 1;
    while (typeof at.a === 'object') {
      at = at.a;
      depth++;
    }
    expect([depth, at.a]).toEqual([MAX_OBJECT_DEPTH - 1, TOO_DEEP]);
    expect(value.deep.a).not.toBe(TOO_DEEP);
    // What the drill-down and the comparison do with it no longer overflows the stack.
    expect(() => redactSecrets(nested(20_000, 1))).toThrow(RangeError);
    expect(() => redactSecrets(clipped)).not.toThrow();
    expect(() => JSON.stringify(clipped)).not.toThrow();
    expect(changedKeys(clipped, clipDepth({ deep: 1 }))).toEqual([
      'sibling',
      'deep',
    ]);
  });

  it('clips lists too', () => {
    let value: unknown = 'leaf';
    for (let i = 0; i < 500; i++) value = [value];
    let at = clipDepth(value) as unknown;
    let depth = 0;
    while (Array.isArray(at)) {
      at = at[0];
      depth++;
    }
    expect([depth, at]).toEqual([MAX_OBJECT_DEPTH, TOO_DEEP]);
  });
});
