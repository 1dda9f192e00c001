/**
 * Names for a message: the first `max` of them, then how many more
 * ("a, b, c and 47 more"), so a fleet-sized list stays a readable line.
 */
export function nameSome(names: string[], max: number): string {
  return names.length > max
    ? `${names.slice(0, max).join(', ')} and ${names.length - max} more`
    : names.join(', ');
}
