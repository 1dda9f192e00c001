import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/** The longest delay setTimeout honours (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Any setting: longer ones put dates (now minus the duration) out of JavaScript's and the database's range. */
const MAX_DURATION_MS = 100 * 365 * 86_400_000;

/**
 * A duration setting of the GitOps promotion plugins, in milliseconds: the
 * key as a Backstage HumanDuration (`{ seconds: 15 }`, `'15s'`, `'PT15S'`),
 * or, for one release, its deprecated `<key>Seconds` number, with a warning
 * saying what to write instead. The new key wins when both are set.
 * @public
 */
export function readDurationMs(
  config: Config | undefined,
  options: {
    /** The config object's path, for messages (`gitopsPromotion.watch`). */
    path: string;
    key: string;
    defaultMs: number;
    /** Whether 0 is allowed (otherwise the duration must be positive). */
    allowZero?: boolean;
    /** Whether it is a timer's delay: then at most about 24 days. */
    timer?: boolean;
    warn: (message: string) => void;
  },
): number {
  const { path, key, defaultMs, allowZero, timer, warn } = options;
  const legacyKey = `${key}Seconds`;
  const bound = allowZero ? 'of 0 or more' : 'longer than 0';
  let ms: number;
  // The key the value was read from, for the messages below.
  let written = key;
  if (config?.has(key)) {
    try {
      ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
    } catch (error) {
      throw new Error(
        `${path}.${key} is not a duration: write it as { seconds: 15 }, '15s' or 'PT15S' (${error})`,
      );
    }
    if (config.has(legacyKey)) {
      warn(
        `${path}.${legacyKey} is ignored: ${path}.${key} is set; remove ${legacyKey}`,
      );
    }
  } else if (config?.has(legacyKey)) {
    const seconds = config.getNumber(legacyKey);
    warn(
      `${path}.${legacyKey} is deprecated and will be removed in the next release; write ${path}.${key}: { seconds: ${seconds} } instead`,
    );
    ms = seconds * 1000;
    written = legacyKey;
  } else {
    return defaultMs;
  }
  if (!(allowZero ? ms >= 0 : ms > 0)) {
    throw new Error(`${path}.${written} must be a duration ${bound}`);
  }
  if (ms > MAX_DURATION_MS) {
    throw new Error(`${path}.${written} must be at most 100 years`);
  }
  if (timer && ms > MAX_TIMER_MS) {
    throw new Error(
      `${path}.${written} must be at most 24 days: it is a timer's delay, and JavaScript runs longer ones at once`,
    );
  }
  return ms;
}
