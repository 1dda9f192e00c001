import { useApi } from '@backstage/frontend-plugin-api';
import {
  ObjectDetails,
  ObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import { useCallback, useRef, useState } from 'react';
import { AsyncState } from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { gitopsPromotionApiRef } from '../api';
import { refKey } from '../util/refKey';

/** A chain link's object read, shared by the sections that show it. */
export interface LinkDetails {
  /** Asks for the read (once a section showing it opens); again after a failure. */
  want: () => void;
  /** Undefined until wanted. */
  state?: AsyncState<ObjectDetails | undefined>;
}

/**
 * One on-demand read of a link's object, with its recent events, for its
 * events and its history: nothing is read until a section asks, and a
 * second section opened shows the same answer instead of reading the
 * cluster again; a section opened after a failed read reads again. Read
 * again when `version` (what the view says of the object) changes: an
 * action or a controller changed it, and its events with it.
 */
export function useLinkDetails(
  ref: ObjectRef,
  entityRef: string,
  version: string,
): LinkDetails {
  const api = useApi(gitopsPromotionApiRef);
  const [wanted, setWanted] = useState(false);
  const { retry, ...state } = useAsyncRetry(
    async () => (wanted ? api.getObjectDetails(ref, entityRef) : undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, wanted, refKey(ref), entityRef, version],
  );
  // One `want` for the card's life: sections ask with it when they open,
  // not each time it changes.
  const failed = useRef(false);
  failed.current = wanted && !!state.error;
  const retryRef = useRef(retry);
  retryRef.current = retry;
  const want = useCallback(() => {
    if (failed.current) retryRef.current();
    else setWanted(true);
  }, []);
  return { want, ...(wanted && { state }) };
}
