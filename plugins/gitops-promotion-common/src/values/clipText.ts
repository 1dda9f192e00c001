import { redactUrlPasswords } from './secrets';

/**
 * Text read from a cluster, cut to at most `max` characters with an
 * ellipsis, a URL's password replaced first: cut first, a URL whose `@`
 * falls past the cut keeps its user info without the `@` that marks it as
 * one, and the password's start would go out unredacted.
 * @public
 */
export function clipText(text: string, max: number): string {
  const redacted = redactUrlPasswords(text);
  return redacted.length > max ? `${redacted.slice(0, max - 1)}…` : redacted;
}
