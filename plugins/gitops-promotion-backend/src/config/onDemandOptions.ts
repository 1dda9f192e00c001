import { Config } from '@backstage/config';

/** Limits of the calls made to clusters on demand (`gitopsPromotion.onDemand`). */
export interface OnDemandOptions {
  /** Single reads, event lists and patches in flight per cluster. */
  concurrency: number;
  /** Calls waiting per cluster beyond which a request is refused (503). */
  maxQueued: number;
  /** How long an object or its events read on demand answer identical requests. */
  cacheMs: number;
}

export const DEFAULT_ON_DEMAND_OPTIONS: OnDemandOptions = {
  concurrency: 4,
  maxQueued: 100,
  cacheMs: 5_000,
};

export function readOnDemandOptions(config: Config): OnDemandOptions {
  const onDemand = config.getOptionalConfig('gitopsPromotion.onDemand');
  const integer = (key: string, fallback: number, min: number) => {
    const value = onDemand?.getOptionalNumber(key) ?? fallback;
    if (!Number.isInteger(value) || value < min) {
      throw new Error(
        `gitopsPromotion.onDemand.${key} must be an integer of at least ${min}`,
      );
    }
    return value;
  };
  const cacheSeconds = onDemand?.getOptionalNumber('cacheSeconds');
  if (cacheSeconds !== undefined && !(cacheSeconds >= 0)) {
    throw new Error(
      'gitopsPromotion.onDemand.cacheSeconds must be a number of seconds, 0 or more',
    );
  }
  return {
    concurrency: integer(
      'concurrency',
      DEFAULT_ON_DEMAND_OPTIONS.concurrency,
      1,
    ),
    maxQueued: integer('maxQueued', DEFAULT_ON_DEMAND_OPTIONS.maxQueued, 0),
    cacheMs:
      cacheSeconds !== undefined
        ? cacheSeconds * 1000
        : DEFAULT_ON_DEMAND_OPTIONS.cacheMs,
  };
}
