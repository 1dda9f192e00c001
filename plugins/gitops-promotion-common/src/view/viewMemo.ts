import { ObjectStore } from '../store/ObjectIndex';
import { PromotionView } from '../types/view';
import {
  buildPromotionView,
  BuildPromotionViewOptions,
  ClusterData,
  readableKinds,
} from './buildPromotionView';

/** A number per store, so that a cluster replaced by a new cache is never taken for the old one. */
const storeIds = new WeakMap<ObjectStore, number>();
let nextStoreId = 0;

/**
 * Everything a view reads of one cluster besides the entity: which store,
 * its revision, which kinds were read, and its errors (they make cells
 * stale). Undefined when the store counts no revisions.
 */
function clusterStamp(data: ClusterData): string | undefined {
  const { store } = data;
  if (store.revision === undefined) return undefined;
  let id = storeIds.get(store);
  if (id === undefined) {
    id = nextStoreId++;
    storeIds.set(store, id);
  }
  const { errors } = data;
  return `${id}.${store.revision}.${readableKinds(data)}${
    errors.length ? JSON.stringify(errors) : ''
  }`;
}

interface ViewMemo {
  environments: BuildPromotionViewOptions['environments'];
  stamp: string;
  view: PromotionView;
}

/** Per map of clusters (a fleet), the last view of each entity and selectors. */
const viewMemos = new WeakMap<
  ReadonlyMap<string, ClusterData>,
  Map<string, ViewMemo>
>();
/** Entities remembered per fleet (an overview reads at most 2,000); past it, the memo starts over. */
const VIEW_MEMO_MAX = 5_000;

/**
 * `buildPromotionView`, built again only when a cluster of its
 * environments changed (store, revision, readable kinds or errors) or the
 * environments did: between changes, a page view or an overview of many
 * entities costs a comparison per cluster. The view is shared between
 * callers with a fresh `generatedAt`: they must not modify it.
 * @public
 */
export function memoizedPromotionView(
  options: BuildPromotionViewOptions,
): PromotionView {
  const { environments, clusters } = options;
  const stamps: string[] = [];
  for (const env of environments) {
    for (const { cluster } of env.clusters) {
      const data = clusters.get(cluster);
      const stamp = data ? clusterStamp(data) : '-';
      if (stamp === undefined) return buildPromotionView(options);
      stamps.push(stamp);
    }
  }
  const stamp = stamps.join(' ');
  const key = `${options.entityRef} ${JSON.stringify(
    options.selectors,
  )} ${JSON.stringify(options.annotationProblems ?? [])}`;
  let memos = viewMemos.get(clusters);
  if (!memos) {
    memos = new Map();
    viewMemos.set(clusters, memos);
  }
  const memo = memos.get(key);
  const generatedAt = options.now.toISOString();
  if (memo && memo.stamp === stamp && memo.environments === environments) {
    return { ...memo.view, generatedAt };
  }
  const view = buildPromotionView(options);
  if (memos.size >= VIEW_MEMO_MAX) memos.clear();
  memos.set(key, { environments, stamp, view });
  return view;
}
