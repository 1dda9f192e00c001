import { diffRows } from './diffRows';

describe('diffRows', () => {
  it('marks added and removed lines', () => {
    expect(diffRows('a: 1\nb: 2\n', 'a: 1\nb: 3\n')).toEqual([
      { type: 'same', text: 'a: 1' },
      { type: 'removed', text: 'b: 2' },
      { type: 'added', text: 'b: 3' },
    ]);
  });

  it('shortens long unchanged runs to the lines around changes', () => {
    const common = Array.from({ length: 10 }, (_, i) => `k${i}: ${i}`);
    const before = [...common, 'z: old', ...common].join('\n');
    const after = [...common, 'z: new', ...common].join('\n');
    const rows = diffRows(before, after)!;
    expect(rows[0]).toEqual({ type: 'skipped', count: 7 });
    expect(rows.slice(1, 4).map(r => r.type)).toEqual(['same', 'same', 'same']);
    expect(rows.slice(4, 6)).toEqual([
      { type: 'removed', text: 'z: old' },
      { type: 'added', text: 'z: new' },
    ]);
    expect(rows[rows.length - 1]).toEqual({ type: 'skipped', count: 7 });
  });

  it('keeps identical texts whole', () => {
    expect(diffRows('a: 1\nb: 2\n', 'a: 1\nb: 2\n')).toEqual([
      { type: 'same', text: 'a: 1' },
      { type: 'same', text: 'b: 2' },
    ]);
  });

  it('gives up past 1,000 lines removed plus added', () => {
    const side = (v: string) =>
      Array.from({ length: 10_000 }, (_, i) => `k${i}: ${v}${i}`).join('\n');
    // Unbounded, the diff of these took 20 s.
    expect(diffRows(side('a'), side('b'))).toBeUndefined();
    const near = (n: number) =>
      Array.from({ length: 500 }, (_, i) => `k${i}: ${i < n ? 'b' : 'a'}`).join(
        '\n',
      );
    // 400 lines changed: 800 removed plus added, within the bound.
    const rows = diffRows(near(0), near(400))!;
    expect(
      rows.filter(r => r.type !== 'same' && r.type !== 'skipped'),
    ).toHaveLength(800);
  });
});
