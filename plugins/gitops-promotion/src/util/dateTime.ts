/**
 * A time for a message's `{{date, datetime}}`: written in the app's
 * language (as its numbers are), not the browser's locale. `short` is to
 * the minute, `medium` to the second.
 */
export const dateTimeParam = (
  iso: string,
  timeStyle: 'short' | 'medium' = 'short',
) => ({
  date: new Date(iso),
  formatParams: { date: { dateStyle: 'medium', timeStyle } as const },
});
