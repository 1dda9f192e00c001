import { GitopsPromotionT } from '../translation';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long ago a timestamp was, compactly: `45s`, `5m`, `3h`, `2d`. Hours
 * go up to two days, where days say more. A timestamp in the future (a
 * server clock ahead of the browser's) counts as now; one that is no time
 * at all (read from a cluster, so anything) is a dash, not "NaNd".
 */
export function formatAge(
  time: string,
  now: number,
  t: GitopsPromotionT,
): string {
  const at = Date.parse(time);
  return Number.isNaN(at) ? '–' : formatDuration(now - at, t);
}

/** A duration in the same compact form: `45s`, `5m`, `3h`, `2d`. */
export function formatDuration(ms: number, t: GitopsPromotionT): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < MINUTE) return t('age.seconds', { value: s });
  if (s < HOUR) return t('age.minutes', { value: Math.floor(s / MINUTE) });
  if (s < 2 * DAY) return t('age.hours', { value: Math.floor(s / HOUR) });
  return t('age.days', { value: Math.floor(s / DAY) });
}
