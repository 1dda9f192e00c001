import { InternTable } from './InternTable';

describe('InternTable', () => {
  it('keeps values looked up again across a generation, drops values seen once', () => {
    const table = new InternTable<object>(2);
    const kept = { v: 'kept' };
    expect(table.share('kept', kept)).toBe(kept);
    table.share('once-1', { v: 1 });
    expect(table.share('kept', { v: 'kept' })).toBe(kept);
    table.share('once-2', { v: 2 });
    table.share('once-3', { v: 3 });
    // A generation later, 'kept' is found in the previous one and carried over.
    expect(table.share('kept', { v: 'kept' })).toBe(kept);
    const again = { v: 1 };
    // Two generations later, a value seen once is gone.
    expect(table.share('once-1', again)).toBe(again);
  });
});
