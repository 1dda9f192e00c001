import { clipText } from '../values/clipText';

/** The longest message a one-line summary quotes. */
export const MAX_ONE_LINE = 300;

/**
 * A message as one line: runs of whitespace (newlines included) become one
 * space, and past `max` characters it is cut with an ellipsis (a URL's
 * password replaced first, see clipText). Controller messages can hold
 * whole templating errors; a summary quotes their start.
 */
export function clipOneLine(message: string, max = MAX_ONE_LINE): string {
  return clipText(message.replace(/\s+/g, ' ').trim(), max);
}
