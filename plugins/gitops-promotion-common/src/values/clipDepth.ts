/**
 * How deep the backend reads an object's fields: deeper levels would
 * overflow the stack of the redaction, the values digest and the JSON
 * writer (the API server accepts a schema-less `spec.values` nested 10,000
 * deep), and real objects stay within a few levels.
 * @public
 */
export const MAX_OBJECT_DEPTH = 100;

/** What stands for the levels below {@link MAX_OBJECT_DEPTH}. */
export const TOO_DEEP = `(nested deeper than ${MAX_OBJECT_DEPTH} levels: not shown)`;

/**
 * The value with every object or list below `depth` levels replaced by a
 * line that says so; the same value (not a copy) when nothing is that deep.
 * @public
 */
export function clipDepth<T>(value: T, depth = MAX_OBJECT_DEPTH): T {
  if (typeof value !== 'object' || value === null) return value;
  if (depth === 0) return TOO_DEEP as T;
  if (Array.isArray(value)) {
    const items = value.map(item => clipDepth(item, depth - 1));
    return items.some((item, i) => item !== value[i]) ? (items as T) : value;
  }
  let clipped: Record<string, unknown> | undefined;
  for (const [key, field] of Object.entries(value)) {
    const shown = clipDepth(field, depth - 1);
    if (shown !== field) {
      clipped ??= { ...(value as Record<string, unknown>) };
      clipped[key] = shown;
    }
  }
  return (clipped as T) ?? value;
}
