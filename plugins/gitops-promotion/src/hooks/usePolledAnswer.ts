import { toError } from '@backstage/errors';
import { ConfigApi, coreApis, useApi } from '@backstage/frontend-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  readDurationMs,
  PROMOTION_CHANGES_CHANNEL,
  PromotionChangesSignal,
} from '@gitops-promotion/backstage-plugin-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { usePageVisible } from './usePageVisible';

const DEFAULT_REFRESH_MS = 10_000;
// Zero or less would poll back to back.
const MIN_REFRESH_MS = 1_000;
/**
 * With signals, polling only makes up for a lost message (a WebSocket
 * reconnecting) and keeps the backend sending them: it forgets a viewer
 * 10 minutes after their last request.
 */
const SIGNALLED_REFRESH_MS = 60_000;
/**
 * The longest pause between polls that fail: each failure doubles it from
 * the interval, so a backend that is down, or a view the user may no
 * longer see (403, an expired session), is not asked at full rate by
 * every open tab; an answer, a refresh or the tab shown again asks at once.
 */
const MAX_FAILING_REFRESH_MS = 5 * 60_000;

/**
 * The configured interval per config object: read once, so the deprecated
 * key's warning is given once however many answers are polled.
 */
const configuredIntervals = new WeakMap<object, number>();

function configuredIntervalMs(configApi: ConfigApi): number {
  let ms = configuredIntervals.get(configApi);
  if (ms === undefined) {
    ms = Math.max(
      MIN_REFRESH_MS,
      readDurationMs(configApi.getOptionalConfig('gitopsPromotion'), {
        path: 'gitopsPromotion',
        key: 'refreshInterval',
        defaultMs: DEFAULT_REFRESH_MS,
        allowZero: true,
        timer: true,
        // The browser console is the frontend's log.
        // eslint-disable-next-line no-console
        warn: message => console.warn(message),
      }),
    );
    configuredIntervals.set(configApi, ms);
  }
  return ms;
}

interface State<T> {
  key: string;
  value?: T;
  checkedAt?: number;
  error?: Error;
}

export interface PolledAnswer<T> {
  value?: T;
  /**
   * When the backend last answered (ms since the epoch). An unchanged
   * answer keeps its `generatedAt`, but a 304 means it is still current:
   * this is how fresh the data shown is.
   */
  checkedAt?: number;
  /** The last request's error; the previous answer, if any, stays available. */
  error?: Error;
  refresh: () => void;
}

/**
 * An answer of the backend kept fresh while the browser tab is visible
 * (an unchanged answer costs a 304), and asked for at once when the tab
 * becomes visible again. Where the app has Backstage signals, a change
 * the backend signals that `affectedBy` says concerns it brings it at
 * once, and polling is the fallback: every
 * `gitopsPromotion.refreshInterval` (default 10 s, at least 1 s), or
 * with signals every 60 s (or that interval, if longer); after failures,
 * less often (MAX_FAILING_REFRESH_MS). `key` names what
 * `load` asks for: answers for another key are dropped. Without
 * `trackChecked`, a 304 (the same answer again) does not render again and
 * `checkedAt` is not kept. `minIntervalMs` polls less often than that
 * (for answers that are costly to build).
 */
export function usePolledAnswer<T>(
  key: string,
  load: () => Promise<T>,
  affectedBy: (value: T | undefined, signal: PromotionChangesSignal) => boolean,
  trackChecked = false,
  minIntervalMs = 0,
): PolledAnswer<T> {
  const { lastSignal, isSignalsAvailable } = useSignal<PromotionChangesSignal>(
    PROMOTION_CHANGES_CHANNEL,
  );
  const configuredMs = configuredIntervalMs(useApi(coreApis.config));
  const intervalMs = Math.max(
    minIntervalMs,
    isSignalsAvailable
      ? Math.max(configuredMs, SIGNALLED_REFRESH_MS)
      : configuredMs,
  );
  const visible = usePageVisible();
  const [state, setState] = useState<State<T>>({ key });
  // Answers for a key no longer shown are dropped.
  const current = useRef(key);
  current.current = key;
  const loadRef = useRef(load);
  loadRef.current = load;

  // Requests are numbered: one that overlapped a newer one (the poll
  // restarted when the page became visible, a refresh while hidden) must
  // not overwrite the newer answer when it arrives last.
  const sent = useRef(0);
  const applied = useRef(0);
  // False when the request failed.
  const fetchNow = useCallback(async (): Promise<boolean> => {
    const number = ++sent.current;
    const outdated = () => {
      if (current.current !== key || number < applied.current) return true;
      applied.current = number;
      return false;
    };
    try {
      const value = await loadRef.current();
      if (outdated()) return true;
      setState(s =>
        !trackChecked && s.key === key && s.value === value && !s.error
          ? s
          : { key, value, checkedAt: trackChecked ? Date.now() : undefined },
      );
      return true;
    } catch (error) {
      if (outdated()) return false;
      setState(s =>
        s.key === key
          ? { ...s, error: toError(error) }
          : { key, error: toError(error) },
      );
      return false;
    }
  }, [key, trackChecked]);

  // Asks now, unless a request is in flight: then once more after it.
  // Undefined while the browser tab is hidden.
  const askNow = useRef<() => void>();
  useEffect(() => {
    if (!visible) return undefined;
    let stopped = false;
    let loading = false;
    let again = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    // Chained: a slow answer never overlaps the next request.
    const poll = async () => {
      clearTimeout(timer);
      if (loading) {
        again = true;
        return;
      }
      loading = true;
      do {
        again = false;
        failures = (await fetchNow()) ? 0 : failures + 1;
      } while (again && !stopped);
      loading = false;
      if (!stopped) {
        timer = setTimeout(
          poll,
          Math.min(
            intervalMs * 2 ** failures,
            Math.max(intervalMs, MAX_FAILING_REFRESH_MS),
          ),
        );
      }
    };
    askNow.current = poll;
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
      askNow.current = undefined;
    };
  }, [visible, intervalMs, fetchNow]);

  const shown = state.key === key ? state.value : undefined;
  const shownRef = useRef(shown);
  shownRef.current = shown;
  const affectedByRef = useRef(affectedBy);
  affectedByRef.current = affectedBy;
  // Before the first answer, the request in flight may predate the change.
  useEffect(() => {
    if (lastSignal && affectedByRef.current(shownRef.current, lastSignal)) {
      askNow.current?.();
    }
  }, [lastSignal]);

  const refresh = useCallback(() => {
    if (askNow.current) askNow.current();
    else void fetchNow();
  }, [fetchNow]);

  if (state.key !== key) {
    return { refresh };
  }
  return {
    value: state.value,
    checkedAt: state.checkedAt,
    error: state.error,
    refresh,
  };
}
