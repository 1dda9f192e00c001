import { Config } from '@backstage/config';

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

export function readWatchOptions(config: Config): WatchOptions {
  const watch = config.getOptionalConfig('gitopsPromotion.watch');
  const seconds = (key: string, fallback: number) => {
    const value = watch?.getOptionalNumber(key);
    if (value !== undefined && !(value > 0)) {
      throw new Error(
        `gitopsPromotion.watch.${key} must be a positive number of seconds`,
      );
    }
    return value !== undefined ? value * 1000 : fallback;
  };
  const pageSize =
    watch?.getOptionalNumber('pageSize') ?? DEFAULT_WATCH_OPTIONS.pageSize;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new Error(
      'gitopsPromotion.watch.pageSize must be a positive integer',
    );
  }
  return {
    pageSize,
    requestTimeoutMs: seconds(
      'requestTimeoutSeconds',
      DEFAULT_WATCH_OPTIONS.requestTimeoutMs,
    ),
    initialBackoffMs: seconds(
      'initialBackoffSeconds',
      DEFAULT_WATCH_OPTIONS.initialBackoffMs,
    ),
    maxBackoffMs: seconds(
      'maxBackoffSeconds',
      DEFAULT_WATCH_OPTIONS.maxBackoffMs,
    ),
    discoveryIntervalMs: seconds(
      'discoveryIntervalSeconds',
      DEFAULT_WATCH_OPTIONS.discoveryIntervalMs,
    ),
    idleProbeMs: seconds('idleProbeSeconds', DEFAULT_WATCH_OPTIONS.idleProbeMs),
  };
}
