import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles the ceiling up to the maximum, with full jitter, and resets', () => {
    const ceiling = new Backoff(1000, 8000, () => 1);
    expect([1, 2, 3, 4, 5].map(() => ceiling.next())).toEqual([
      1000, 2000, 4000, 8000, 8000,
    ]);
    ceiling.reset();
    expect(ceiling.next()).toBe(1000);
    const jittered = new Backoff(1000, 8000, () => 0.25);
    expect([jittered.next(), jittered.next()]).toEqual([250, 500]);
  });
});
