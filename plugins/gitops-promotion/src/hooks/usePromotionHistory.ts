import { useApi } from '@backstage/frontend-plugin-api';
import { PromotionHistoryEntry } from '@gitops-promotion/backstage-plugin-common';
import useAsyncRetry, { AsyncStateRetry } from 'react-use/esm/useAsyncRetry';
import { gitopsPromotionApiRef } from '../api';

/** Pages read at most: enough for months of a busy entity. */
const MAX_PAGES = 5;
const PAGE_SIZE = 1000;

/** The history of an entity's workloads, newest first, and whether older entries were left out. */
export interface PromotionHistory {
  entries: PromotionHistoryEntry[];
  truncated: boolean;
}

/**
 * The promotion history of the entity, read page by page (at most
 * {@link MAX_PAGES}); `retry` reads it again.
 */
export function usePromotionHistory(
  entityRef: string,
): AsyncStateRetry<PromotionHistory> {
  const api = useApi(gitopsPromotionApiRef);
  return useAsyncRetry(async () => {
    const entries: PromotionHistoryEntry[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await api.getHistory(entityRef, {
        cursor,
        limit: PAGE_SIZE,
      });
      entries.push(...result.entries);
      cursor = result.nextCursor;
      if (!cursor) return { entries, truncated: false };
    }
    return { entries, truncated: true };
  }, [api, entityRef]);
}
