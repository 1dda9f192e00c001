import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

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
    warn: (message: string) => void;
  },
): number {
  const { path, key, defaultMs, allowZero, warn } = options;
  const legacyKey = `${key}Seconds`;
  const bound = allowZero ? 'of 0 or more' : 'longer than 0';
  let ms: number;
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
  } else {
    return defaultMs;
  }
  if (!(allowZero ? ms >= 0 : ms > 0)) {
    throw new Error(`${path}.${key} must be a duration ${bound}`);
  }
  return ms;
}
