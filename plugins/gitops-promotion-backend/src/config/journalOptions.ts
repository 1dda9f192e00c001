import { Config } from '@backstage/config';
import { readDurationMs } from '@gitops-promotion/backstage-plugin-common';

/** What `gitopsPromotion.journal` configures. */
export interface JournalOptions {
  /** How long entries are kept (the newest of each workload stays). */
  retentionMs: number;
}

const DEFAULT_RETENTION_MS = 180 * 24 * 3600_000;

/** `gitopsPromotion.journal`, the retention as a HumanDuration (default 180 days). */
export function readJournalOptions(
  config: Config,
  warn: (message: string) => void,
): JournalOptions {
  return {
    retentionMs: readDurationMs(
      config.getOptionalConfig('gitopsPromotion.journal'),
      {
        path: 'gitopsPromotion.journal',
        key: 'retention',
        defaultMs: DEFAULT_RETENTION_MS,
        warn,
      },
    ),
  };
}
