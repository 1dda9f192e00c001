import { useApi } from '@backstage/frontend-plugin-api';
import {
  ObjectDetails,
  ObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import useAsync, { AsyncState } from 'react-use/esm/useAsync';
import { gitopsPromotionApiRef } from '../api';
import { refKey } from '../util/refKey';

/**
 * The full object behind a chain link, with its recent events, fetched on
 * demand; nothing is fetched while `ref` is undefined.
 */
export function useObjectDetails(
  ref: ObjectRef | undefined,
  entityRef: string,
): AsyncState<ObjectDetails | undefined> {
  const api = useApi(gitopsPromotionApiRef);
  const key = ref ? refKey(ref) : undefined;
  return useAsync(
    async () => (ref ? api.getObjectDetails(ref, entityRef) : undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, entityRef],
  );
}
