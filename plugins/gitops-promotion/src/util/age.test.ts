import { defaultT } from '../__testUtils__/translate';
import { formatAge } from './age';

describe('formatAge', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');
  it.each([
    ['2026-11-21T11:59:15Z', '45s'],
    ['2026-11-21T11:55:00Z', '5m'],
    ['2026-11-21T09:00:00Z', '3h'],
    ['2026-11-20T00:00:00Z', '36h'],
    ['2026-11-18T12:00:00Z', '3d'],
    ['2026-11-21T12:00:30Z', '0s'],
    ['yesterday', '–'],
  ])('%s is %s ago', (time, age) => {
    expect(formatAge(time, now, defaultT())).toBe(age);
  });
});
