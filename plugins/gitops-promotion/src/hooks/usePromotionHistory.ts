import { useEffect, useRef } from 'react';
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
 * {@link MAX_PAGES}); read again when `viewGeneratedAt` changes (the view
 * changed: a new entry may be written) or on `retry`. The last history
 * read stays while the next one loads.
 */
export function usePromotionHistory(
  entityRef: string,
  viewGeneratedAt: string,
): AsyncStateRetry<PromotionHistory> {
  const api = useApi(gitopsPromotionApiRef);
  // A read a newer one replaced, or that outlived the component, stops
  // after its page in flight instead of reading the others.
  const reads = useRef(0);
  useEffect(
    () => () => {
      reads.current += 1;
    },
    [],
  );
  const state = useAsyncRetry(async () => {
    const read = ++reads.current;
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
      if (read !== reads.current) break;
    }
    return { entries, truncated: true };
  }, [api, entityRef, viewGeneratedAt]);
  // useAsyncRetry drops its value on an error: a failed refresh keeps the last history.
  const last = useRef<{ entityRef: string; value: PromotionHistory }>();
  if (state.value) last.current = { entityRef, value: state.value };
  const kept =
    last.current?.entityRef === entityRef ? last.current.value : undefined;
  return {
    ...state,
    value: state.value ?? kept,
  } as AsyncStateRetry<PromotionHistory>;
}
