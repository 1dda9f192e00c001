/**
 * The value a table holds for a key read from a cluster, or undefined: only
 * its own keys count, so `constructor` or `toString` are not found in it.
 */
export function ownValue<T>(
  table: Record<string, T>,
  key: string | undefined,
): T | undefined {
  return key !== undefined && Object.hasOwn(table, key)
    ? table[key]
    : undefined;
}
