import { MetricsService } from '@backstage/backend-plugin-api/alpha';

/** What one flush of the journal did, as its metrics record it. */
export interface FlushFigures {
  /** Seconds spent working out the entries of the changed workloads. */
  evaluateSeconds: number;
  /** Seconds the insert took; undefined when there was nothing to write. */
  writeSeconds?: number;
  /** Entries written (0 when the write failed: they wait for the next flush). */
  entries: number;
  failed: boolean;
}

/** Records {@link FlushFigures}: one flush. */
export type JournalMetrics = (figures: FlushFigures) => void;

/**
 * The journal's metrics through Backstage's metrics service (OpenTelemetry):
 * how long its flushes take apart from the page views, and how many
 * entries it writes, so an operator sees its cost and its failures.
 */
export function journalMetrics(metrics: MetricsService): JournalMetrics {
  const evaluate = metrics.createHistogram(
    'gitops_promotion.journal.evaluate.duration',
    {
      description:
        'Time a journal flush spends evaluating the changed workloads',
      unit: 'seconds',
    },
  );
  const write = metrics.createHistogram(
    'gitops_promotion.journal.write.duration',
    {
      description: 'Time a journal flush spends inserting its entries',
      unit: 'seconds',
    },
  );
  const entries = metrics.createCounter(
    'gitops_promotion.journal.entries.count',
    { description: 'Promotion journal entries written' },
  );
  const failures = metrics.createCounter(
    'gitops_promotion.journal.write.failures.count',
    { description: 'Journal writes that failed (entries kept for a retry)' },
  );
  return f => {
    evaluate.record(f.evaluateSeconds);
    if (f.writeSeconds !== undefined) write.record(f.writeSeconds);
    if (f.entries > 0) entries.add(f.entries);
    if (f.failed) failures.add(1);
  };
}
