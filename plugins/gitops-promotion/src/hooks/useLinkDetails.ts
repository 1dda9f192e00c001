import {
  ObjectDetails,
  ObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import { useCallback, useState } from 'react';
import { AsyncState } from 'react-use/esm/useAsync';
import { useObjectDetails } from './useObjectDetails';

/** A chain link's object read, shared by the sections that show it. */
export interface LinkDetails {
  /** Asks for the read (once a section showing it opens). */
  want: () => void;
  /** Undefined until wanted. */
  state?: AsyncState<ObjectDetails | undefined>;
}

/**
 * One on-demand read of a link's object for its events and its history:
 * nothing is read until a section asks, and a second section opened shows
 * the same answer instead of reading the cluster again.
 */
export function useLinkDetails(
  ref: ObjectRef,
  entityRef: string,
  version: string,
): LinkDetails {
  const [wanted, setWanted] = useState(false);
  const state = useObjectDetails(wanted ? ref : undefined, entityRef, version);
  const want = useCallback(() => setWanted(true), []);
  return { want, ...(wanted && { state }) };
}
