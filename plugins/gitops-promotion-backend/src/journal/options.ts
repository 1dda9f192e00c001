import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

/** What `gitopsPromotion.journal` configures, read once at startup. */
export interface JournalOptions {
  /** How long entries are kept (the newest of each workload stays). */
  retention: HumanDuration;
  retentionMs: number;
}

const DEFAULT_RETENTION: HumanDuration = { days: 180 };

export function readJournalOptions(config: Config): JournalOptions {
  const key = 'gitopsPromotion.journal.retention';
  let retention = DEFAULT_RETENTION;
  if (config.has(key)) {
    try {
      retention = readDurationFromConfig(config, { key });
    } catch (e) {
      throw new Error(
        `${key}: ${
          (e as Error).message
        }; write a duration such as { days: 180 } or "180d"`,
      );
    }
  }
  const retentionMs = durationToMilliseconds(retention);
  if (!(retentionMs > 0)) {
    throw new Error(`${key} must be longer than zero`);
  }
  return { retention, retentionMs };
}
