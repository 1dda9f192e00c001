import { toError } from '@backstage/errors';

/**
 * A database error in its driver's words: knex puts the whole statement
 * before them, values included (10,000 entries' summaries in one line, or
 * the names of 200 workloads), which neither a log line nor an answer
 * should carry.
 */
export function databaseCause(error: unknown): string {
  const { message } = toError(error);
  const at = message.lastIndexOf(' - ');
  const cause = at >= 0 ? message.slice(at + 3) : message;
  return cause.length > 300 ? `${cause.slice(0, 300)}…` : cause;
}
