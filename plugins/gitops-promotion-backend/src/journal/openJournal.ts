import {
  DatabaseService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { EnvironmentConfig } from '@gitops-promotion/backstage-plugin-common/server';
import { JournalStore } from './JournalStore';
import { JournalOptions } from '../config/journalOptions';
import { journalMetrics } from './journalMetrics';
import { PromotionJournal } from './PromotionJournal';

/**
 * Opens the journal's table (running its migrations) and schedules the
 * retention cleanup: a scheduled task, so with several replicas one of
 * them runs it at a time. The journal records once started with the
 * clusters.
 */
export async function openJournal(options: {
  database: DatabaseService;
  scheduler: SchedulerService;
  logger: LoggerService;
  metrics: MetricsService;
  journal: JournalOptions;
  /** Whose namespaces bound what an entry says (PromotionJournal). */
  environments: ReadonlyArray<Pick<EnvironmentConfig, 'clusters'>>;
}): Promise<{ store: JournalStore; journal: PromotionJournal }> {
  const { database, scheduler, logger } = options;
  const store = await JournalStore.create(database);
  const journal = new PromotionJournal(store, logger, {
    environments: options.environments,
    metrics: journalMetrics(options.metrics),
  });
  await scheduler.scheduleTask({
    id: 'gitops-promotion-journal-retention',
    frequency: { hours: 1 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 1 },
    fn: async () => {
      const cutoff = new Date(Date.now() - options.journal.retentionMs);
      const deleted = await store.deleteBefore(cutoff);
      if (deleted > 0) {
        logger.info(
          `Deleted ${deleted} promotion journal entries from before ${cutoff.toISOString()}`,
        );
      }
    },
  });
  return { store, journal };
}
