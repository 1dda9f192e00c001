/** The longest message a one-line summary quotes. */
export const MAX_ONE_LINE = 300;

/**
 * A message as one line: runs of whitespace (newlines included) become one
 * space, and past `max` characters it is cut with an ellipsis. Controller
 * messages can hold whole templating errors; a summary quotes their start.
 */
export function clipOneLine(message: string, max = MAX_ONE_LINE): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
