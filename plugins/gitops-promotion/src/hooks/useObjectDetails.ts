import { useApi } from '@backstage/frontend-plugin-api';
import {
  ObjectDetails,
  ObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import useAsyncRetry, { AsyncStateRetry } from 'react-use/esm/useAsyncRetry';
import { gitopsPromotionApiRef } from '../api';
import { refKey } from '../util/refKey';

/**
 * The full object behind a chain link, with its recent events, fetched on
 * demand; nothing is fetched while `ref` is undefined. Fetched again when
 * `version` (what the view says of the object) changes: an action or a
 * controller changed it, and its events with it.
 */
export function useObjectDetails(
  ref: ObjectRef | undefined,
  entityRef: string,
  version?: string,
): AsyncStateRetry<ObjectDetails | undefined> {
  const api = useApi(gitopsPromotionApiRef);
  const key = ref ? refKey(ref) : undefined;
  return useAsyncRetry(
    async () => (ref ? api.getObjectDetails(ref, entityRef) : undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, entityRef, version],
  );
}
