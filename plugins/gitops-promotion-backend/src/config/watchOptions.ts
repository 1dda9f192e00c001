import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { readDurationMs } from '@gitops-promotion/backstage-plugin-common';

/** Tuning of the watch caches (`gitopsPromotion.watch`). */
export interface WatchOptions {
  pageSize: number;
  requestTimeoutMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  discoveryIntervalMs: number;
  /** Silence after which a cluster is probed (GET /version). */
  idleProbeMs: number;
}

export const DEFAULT_WATCH_OPTIONS: WatchOptions = {
  // An API server answers the first page of a list from its watch cache and
  // the next ones from etcd, several times the CPU per object.
  pageSize: 1000,
  requestTimeoutMs: 15_000,
  initialBackoffMs: 1_000,
  maxBackoffMs: 60_000,
  discoveryIntervalMs: 300_000,
  // With the 15 s request timeout, a hung API server is reported within
  // 45 s, as client-go's HTTP/2 pings (30 s read idle + 15 s) notice it.
  idleProbeMs: 30_000,
};

/** `gitopsPromotion.watch`, durations as HumanDuration (the `*Seconds` keys deprecated). */
export function readWatchOptions(
  config: Config,
  logger: LoggerService,
): WatchOptions {
  const watch = config.getOptionalConfig('gitopsPromotion.watch');
  const duration = (key: string, defaultMs: number) =>
    readDurationMs(watch, {
      path: 'gitopsPromotion.watch',
      key,
      defaultMs,
      timer: true,
      warn: m => logger.warn(m),
    });
  const pageSize =
    watch?.getOptionalNumber('pageSize') ?? DEFAULT_WATCH_OPTIONS.pageSize;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new Error(
      'gitopsPromotion.watch.pageSize must be a positive integer',
    );
  }
  const requestTimeoutMs = duration(
    'requestTimeout',
    DEFAULT_WATCH_OPTIONS.requestTimeoutMs,
  );
  const initialBackoffMs = duration(
    'initialBackoff',
    DEFAULT_WATCH_OPTIONS.initialBackoffMs,
  );
  const maxBackoffMs = duration(
    'maxBackoff',
    DEFAULT_WATCH_OPTIONS.maxBackoffMs,
  );
  // The backoff doubles from the first delay up to the cap: a first delay
  // past the cap would be cut to it without a word.
  if (initialBackoffMs > maxBackoffMs) {
    throw new Error(
      `gitopsPromotion.watch.initialBackoff (${
        initialBackoffMs / 1000
      } s) must not be longer than gitopsPromotion.watch.maxBackoff (${
        maxBackoffMs / 1000
      } s): raise maxBackoff or lower initialBackoff`,
    );
  }
  return {
    pageSize,
    requestTimeoutMs,
    initialBackoffMs,
    maxBackoffMs,
    discoveryIntervalMs: duration(
      'discoveryInterval',
      DEFAULT_WATCH_OPTIONS.discoveryIntervalMs,
    ),
    idleProbeMs: duration('idleProbe', DEFAULT_WATCH_OPTIONS.idleProbeMs),
  };
}
