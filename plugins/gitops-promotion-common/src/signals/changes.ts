import { PromotionView, PromotionViewSummary } from '../types/view';
import { clusterCellsOf } from '../view/clusterCells';

/**
 * The Backstage signals channel on which the backend announces that cached
 * objects changed. @public
 */
export const PROMOTION_CHANGES_CHANNEL = 'gitops-promotion:changes';

/**
 * Where objects changed in one cluster. Without `namespaces` anything in the
 * cluster may have changed (a relist, a cluster error, too many namespaces
 * to name). @public
 */
export type ClusterChange = {
  cluster: string;
  namespaces?: string[];
};

/**
 * The message of {@link PROMOTION_CHANGES_CHANNEL}: the changes of the last
 * interval, coalesced. It names clusters and namespaces, never objects or
 * their states: those stay behind the view permission. @public
 */
export type PromotionChangesSignal = {
  changes: ClusterChange[];
};

/**
 * What a view reads: for each cluster of its environments, the namespaces
 * whose objects can alter it, or `undefined` for any namespace. @public
 */
export type ViewReads = Map<string, Set<string> | undefined>;

type Namespaces = Set<string> | undefined;

function intersect(a: Namespaces, b: Namespaces): Namespaces {
  if (!a) return b;
  if (!b) return a;
  return new Set([...a].filter(n => b.has(n)));
}

function union(a: Namespaces, b: Namespaces): Namespaces {
  return a && b ? new Set([...a, ...b]) : undefined;
}

/**
 * What a view reads, given the namespaces its cells and chains link to in
 * each cluster: in each cluster of its environments, its selectors'
 * namespaces (within the environment's namespaces) and those.
 */
function readsOf(
  view: Pick<PromotionView, 'environments' | 'selectors'>,
  linked: (cluster: string) => Set<string>,
): ViewReads {
  // A selector without a namespace matches Releases in any namespace.
  const selected: Namespaces = view.selectors.every(s => s.namespace)
    ? new Set(view.selectors.map(s => s.namespace!))
    : undefined;
  const scopes = new Map<string, Namespaces>();
  for (const env of view.environments) {
    for (const entry of env.clusters) {
      const scope = entry.namespaces ? new Set(entry.namespaces) : undefined;
      scopes.set(
        entry.cluster,
        scopes.has(entry.cluster)
          ? union(scopes.get(entry.cluster), scope)
          : scope,
      );
    }
  }
  const reads: ViewReads = new Map();
  for (const [cluster, scope] of scopes) {
    // The environment's namespaces bound what the selectors find, not the
    // chains: a shared source outside them still decides a cell's state.
    reads.set(cluster, union(intersect(scope, selected), linked(cluster)));
  }
  return reads;
}

/**
 * The clusters and namespaces a view reads: in each cluster of its
 * environments, its selectors' namespaces (within the environment's
 * namespaces) and the namespaces of the objects its chains link to. @public
 */
export function readsOfView(view: PromotionView): ViewReads {
  const linked = new Map<string, Set<string>>();
  for (const cell of clusterCellsOf(view)) {
    const set = linked.get(cell.cluster) ?? new Set<string>();
    set.add(cell.namespace);
    cell.chain.forEach(link => set.add(link.ref.namespace));
    linked.set(cell.cluster, set);
  }
  return readsOf(view, cluster => linked.get(cluster) ?? new Set());
}

/** What of a page view tells what it reads. @public */
export type ViewScope = Pick<
  PromotionViewSummary,
  'environments' | 'selectors' | 'linkedNamespaces'
>;

/**
 * What a page view reads, as far as it tells: the namespaces its chains
 * link to in any cluster count in each (a change there may be one this
 * view does not read: it is asked for again, a 304 if so).
 */
function readsOfSummary(view: ViewScope): ViewReads {
  const linked = new Set(view.linkedNamespaces);
  return readsOf(view, () => linked);
}

/**
 * The part of `changes` that can alter a view reading `reads`: changes in
 * its clusters, narrowed to the namespaces it reads. @public
 */
export function changesWithin(
  reads: ViewReads,
  changes: ClusterChange[],
): ClusterChange[] {
  return changes.flatMap(change => {
    if (!reads.has(change.cluster)) return [];
    const read = reads.get(change.cluster);
    if (!change.namespaces || !read) return [change];
    const namespaces = change.namespaces.filter(n => read.has(n));
    return namespaces.length > 0
      ? [{ cluster: change.cluster, namespaces }]
      : [];
  });
}

/**
 * Whether a change can alter the view, so a client asks for it again
 * (a page view or a drawer: both read what the page view does). @public
 */
export function viewAffectedBy(
  view: ViewScope,
  signal: PromotionChangesSignal,
): boolean {
  // A message this version cannot read (another backend version): ask again.
  if (!Array.isArray(signal?.changes)) return true;
  return changesWithin(readsOfSummary(view), signal.changes).length > 0;
}
