import { clipOneLine } from '../chain/oneLine';
import { ClusterCell } from '../types/view';
import { worseFirst } from './aggregateEnvironment';
import { needsALook } from './needsALook';

/**
 * Orders clusters worst first, the way every answer lists them: those that
 * need a look before the others, then by state (Failed, Progressing,
 * Unknown, Suspended, then Ready but stale), then by name and namespace.
 * @public
 */
export function worstFirst(a: ClusterCell, b: ClusterCell): number {
  return (
    Number(needsALook(b)) - Number(needsALook(a)) ||
    worseFirst(a.state, b.state) ||
    a.cluster.localeCompare(b.cluster) ||
    a.namespace.localeCompare(b.namespace)
  );
}

/**
 * A cluster's state in one line: its root cause's summary, else its own
 * message, which can span lines (a templating error) and is clipped.
 */
export function causeOf(c: ClusterCell): string | undefined {
  return c.rootCause?.summary ?? (c.message && clipOneLine(c.message));
}
