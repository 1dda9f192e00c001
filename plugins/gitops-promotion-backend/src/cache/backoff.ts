import { setTimeout as delay } from 'node:timers/promises';

/**
 * Exponential backoff with full jitter: after the n-th consecutive failure,
 * wait a random time in [0, min(max, initial * 2^n)], so many backends that
 * lost the same cluster do not reconnect in step.
 */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; counts the failure. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** this.failures);
    this.failures = Math.min(this.failures + 1, 30);
    return Math.round(ceiling * this.random());
  }

  reset(): void {
    this.failures = 0;
  }
}

/** Resolves after `ms`, or at once when the signal aborts (a stop is not an error here). */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
