/**
 * The promotion journal's figures in `yarn bench`, from the plugin's
 * OpenTelemetry metrics (journal/journalMetrics.ts) as the bench backend
 * collects them: cumulative since start, so a phase is the difference of
 * two readings.
 */

/** A metric's cumulative value: for a histogram the records and their sum, for a counter its sum. */
export interface MetricTotal {
  count: number;
  sum: number;
}

/** The plugin's metrics by name, as the bench backend reports them over IPC. */
export type MetricTotals = Record<string, MetricTotal>;

export interface JournalFigures {
  flushes: number;
  entries: number;
  /** Wall time of the flushes' evaluation and of their inserts, in all (ms). */
  evaluateMs: number;
  writeMs: number;
  failedWrites: number;
}

const JOURNAL = 'gitops_promotion.journal';

/** What the journal did between two readings (`from` undefined: since start). */
export function journalFigures(
  to: MetricTotals,
  from: MetricTotals = {},
): JournalFigures {
  const delta = (name: string): MetricTotal => {
    const a = to[`${JOURNAL}.${name}`] ?? { count: 0, sum: 0 };
    const b = from[`${JOURNAL}.${name}`] ?? { count: 0, sum: 0 };
    return { count: a.count - b.count, sum: a.sum - b.sum };
  };
  const evaluate = delta('evaluate.duration');
  return {
    flushes: evaluate.count,
    entries: delta('entries.count').sum,
    evaluateMs: evaluate.sum * 1000,
    writeMs: delta('write.duration').sum * 1000,
    failedWrites: delta('write.failures.count').sum,
  };
}
