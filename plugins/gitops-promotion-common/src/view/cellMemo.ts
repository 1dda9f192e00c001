import { clusterCell } from '../chain/clusterCell';
import { ObjectKind, WorkloadKind } from '../kinds';
import { ObjectLookup, ObjectStore } from '../store/ObjectIndex';
import { KubeObject } from '../types/objects';
import { ClusterCell } from '../types/view';

/** One lookup a chain walk made, and what it found. */
type Read =
  | { get: [ObjectKind, string, string]; found: KubeObject | undefined }
  | { ownedBy: string; found: KubeObject[] }
  | { hasData: ObjectKind; found: boolean };

interface Memo {
  kind: WorkloadKind;
  cluster: string;
  /** The namespaces it was bounded to, joined; '*' for none. */
  bounds: string;
  reads: Read[];
  cell: ClusterCell;
}

/**
 * Per cluster store, the last cell of each workload object, with the
 * lookups its chain walk made. Weak both ways: a store or an object that
 * is gone takes its cells with it.
 */
const memos = new WeakMap<ObjectStore, WeakMap<KubeObject, Memo>>();

function readsTheSame(lookup: ObjectLookup, read: Read): boolean {
  if ('get' in read) return lookup.get(...read.get) === read.found;
  if ('ownedBy' in read) {
    const now = lookup.ownedBy(read.ownedBy);
    return (
      now.length === read.found.length &&
      now.every((o, i) => o === read.found[i])
    );
  }
  return (lookup.hasData?.(read.hasData) ?? true) === read.found;
}

/**
 * `clusterCell` (bounded to `namespaces`), walked again only when
 * something it read changed: the watch cache replaces an object on every
 * change (never edits one in place), so a cell whose every lookup still
 * finds the very same objects is the same cell. Checking takes a map
 * lookup per link; a walk classifies every link and builds its conditions
 * and facts, which is what made a page view's cost grow with the
 * clusters. The cell is shared between views: callers must not modify it.
 */
export function memoizedClusterCell(
  store: ObjectStore,
  kind: WorkloadKind,
  root: KubeObject,
  lookup: ObjectLookup,
  cluster: string,
  namespaces?: readonly string[],
): ClusterCell {
  const bounds = namespaces?.join(',') ?? '*';
  let byRoot = memos.get(store);
  if (!byRoot) {
    byRoot = new WeakMap();
    memos.set(store, byRoot);
  }
  const memo = byRoot.get(root);
  if (
    memo &&
    memo.kind === kind &&
    memo.cluster === cluster &&
    memo.bounds === bounds &&
    memo.reads.every(r => readsTheSame(lookup, r))
  ) {
    return memo.cell;
  }
  const reads: Read[] = [];
  const recording: ObjectLookup = {
    get: (k, namespace, name) => {
      const found = lookup.get(k, namespace, name);
      reads.push({ get: [k, namespace, name], found });
      return found;
    },
    ownedBy: uid => {
      const found = lookup.ownedBy(uid);
      reads.push({ ownedBy: uid, found: [...found] });
      return found;
    },
    hasData: k => {
      const found = lookup.hasData?.(k) ?? true;
      reads.push({ hasData: k, found });
      return found;
    },
  };
  const cell = clusterCell(kind, root, recording, cluster, namespaces);
  byRoot.set(root, { kind, cluster, bounds, reads, cell });
  return cell;
}
