const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long ago a timestamp was, compactly: `45s`, `5m`, `3h`, `2d`. Hours
 * go up to two days, where days say more. A timestamp in the future (a
 * server clock ahead of the browser's) counts as now.
 */
export function formatAge(time: string, now: number): string {
  const s = Math.max(0, Math.floor((now - Date.parse(time)) / 1000));
  if (s < MINUTE) return `${s}s`;
  if (s < HOUR) return `${Math.floor(s / MINUTE)}m`;
  if (s < 2 * DAY) return `${Math.floor(s / HOUR)}h`;
  return `${Math.floor(s / DAY)}d`;
}
