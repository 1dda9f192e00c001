import { ConfigReader } from '@backstage/config';
import { readDurationMs } from './durations';

const read = (data: object | undefined, allowZero = false) => {
  const warnings: string[] = [];
  const ms = readDurationMs(data && new ConfigReader(data), {
    path: 'gitopsPromotion.watch',
    key: 'requestTimeout',
    defaultMs: 15_000,
    allowZero,
    warn: m => warnings.push(m),
  });
  return { ms, warnings };
};

describe('readDurationMs', () => {
  it('reads a HumanDuration in any of its forms', () => {
    expect(read({ requestTimeout: { seconds: 20 } })).toEqual({
      ms: 20_000,
      warnings: [],
    });
    expect(read({ requestTimeout: { minutes: 1, seconds: 30 } }).ms).toBe(
      90_000,
    );
    expect(read({ requestTimeout: '2m' }).ms).toBe(120_000);
    expect(read({ requestTimeout: 'PT0.5S' }).ms).toBe(500);
  });

  it('falls back to the default when unset', () => {
    expect(read(undefined)).toEqual({ ms: 15_000, warnings: [] });
    expect(read({})).toEqual({ ms: 15_000, warnings: [] });
  });

  it('still reads the deprecated *Seconds key, with a warning saying what to write', () => {
    expect(read({ requestTimeoutSeconds: 0.25 })).toEqual({
      ms: 250,
      warnings: [
        'gitopsPromotion.watch.requestTimeoutSeconds is deprecated and will be removed in the next release; write gitopsPromotion.watch.requestTimeout: { seconds: 0.25 } instead',
      ],
    });
  });

  it('prefers the new key and says the old one is ignored', () => {
    expect(
      read({ requestTimeout: { seconds: 3 }, requestTimeoutSeconds: 9 }),
    ).toEqual({
      ms: 3000,
      warnings: [
        'gitopsPromotion.watch.requestTimeoutSeconds is ignored: gitopsPromotion.watch.requestTimeout is set; remove requestTimeoutSeconds',
      ],
    });
  });

  it('names the key and the accepted forms when a value is wrong', () => {
    expect(() => read({ requestTimeout: 'soon' })).toThrow(
      /^gitopsPromotion\.watch\.requestTimeout is not a duration: write it as \{ seconds: 15 \}, '15s' or 'PT15S'/,
    );
    expect(() => read({ requestTimeout: { seconds: 0 } })).toThrow(
      'gitopsPromotion.watch.requestTimeout must be a duration longer than 0',
    );
    // The key the user wrote, not the one it stands in for.
    expect(() => read({ requestTimeoutSeconds: -1 })).toThrow(
      'gitopsPromotion.watch.requestTimeoutSeconds must be a duration longer than 0',
    );
    expect(read({ requestTimeout: { seconds: 0 } }, true).ms).toBe(0);
  });

  it('bounds a timer at what JavaScript can wait, and nothing else', () => {
    const timer = (data: object) =>
      readDurationMs(new ConfigReader(data), {
        path: 'gitopsPromotion.watch',
        key: 'idleProbe',
        defaultMs: 30_000,
        timer: true,
        warn: () => {},
      });
    expect(timer({ idleProbe: { days: 24 } })).toBe(24 * 86_400_000);
    expect(() =>
      readDurationMs(new ConfigReader({ retention: 'P1000000Y' }), {
        path: 'gitopsPromotion.journal',
        key: 'retention',
        defaultMs: 1,
        warn: () => {},
      }),
    ).toThrow('gitopsPromotion.journal.retention must be at most 100 years');
    expect(() => timer({ idleProbe: { days: 30 } })).toThrow(
      "gitopsPromotion.watch.idleProbe must be at most 24 days: it is a timer's delay, and JavaScript runs longer ones at once",
    );
    // A retention is compared with dates, not waited for.
    expect(read({ requestTimeout: { days: 180 } }).ms).toBe(180 * 86_400_000);
  });
});
