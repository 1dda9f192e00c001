import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { readDurationMs } from '@gitops-promotion/backstage-plugin-common';

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

/** `gitopsPromotion.onDemand`, the cache's life as a HumanDuration (`cacheSeconds` deprecated). */
export function readOnDemandOptions(
  config: Config,
  logger: LoggerService,
): OnDemandOptions {
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
  return {
    concurrency: integer(
      'concurrency',
      DEFAULT_ON_DEMAND_OPTIONS.concurrency,
      1,
    ),
    maxQueued: integer('maxQueued', DEFAULT_ON_DEMAND_OPTIONS.maxQueued, 0),
    cacheMs: readDurationMs(onDemand, {
      path: 'gitopsPromotion.onDemand',
      key: 'cache',
      defaultMs: DEFAULT_ON_DEMAND_OPTIONS.cacheMs,
      allowZero: true,
      warn: m => logger.warn(m),
    }),
  };
}
