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
      const { deleted, removed } = await applyRetention(store, journal, cutoff);
      if (deleted > 0) {
        logger.info(
          `Deleted ${deleted} promotion journal entries from before ${cutoff.toISOString()}${
            removed > 0
              ? `, ${removed} of them the last of workloads no longer in their cluster`
              : ''
          }`,
        );
      }
    },
  });
  return { store, journal };
}

/**
 * Deletes entries older than `cutoff` but the newest of each workload,
 * which still says what runs; and that one too for a workload its cluster
 * no longer has (deleted, renamed: a preview environment a day), when the
 * cluster can tell, so removed workloads do not pile up for good.
 */
export async function applyRetention(
  store: JournalStore,
  journal: Pick<PromotionJournal, 'present' | 'forget'>,
  cutoff: Date,
): Promise<{ deleted: number; removed: number }> {
  const deleted = await store.deleteBefore(cutoff);
  const gone = (await store.idleSince(cutoff)).filter(
    w => journal.present(w) === false,
  );
  const removed = await store.deleteWorkloads(gone, cutoff);
  journal.forget(gone);
  return { deleted: deleted + removed, removed };
}
