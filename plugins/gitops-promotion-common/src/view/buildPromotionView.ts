import { ALL_KINDS, ObjectKind, WorkloadKind } from '../kinds';
import { ObjectLookup, ObjectStore } from '../store/ObjectIndex';
import {
  AnnotationProblem,
  CellDetail,
  ClusterCell,
  ClusterInBrief,
  ClusterError,
  EnvironmentCell,
  EnvironmentSummary,
  PromotionView,
  WorkloadRow,
  WorkloadSelector,
} from '../types/view';
import { KubeObject } from '../types/objects';
import { readsOfView } from '../signals/changes';
import { aggregateEnvironment } from './aggregateEnvironment';
import { causeOf, worstFirst } from './attention';
import { memoizedClusterCell } from './cellMemo';
import { needsALook } from './needsALook';
import { promotionStep } from './promotionStep';
import { compileSelectors, owningReleaseUid, select } from './selectWorkloads';

/** An environment as configured: clusters, or namespaces of a shared cluster. @public */
export interface EnvironmentConfig {
  name: string;
  title?: string;
  /** Failures here matter most (the backend's default: the last two environments). */
  important?: boolean;
  clusters: Array<{ cluster: string; namespaces?: string[] }>;
}

/** What the view needs to know of one cluster's cache. @public */
export interface ClusterData {
  store: ObjectStore;
  errors: ClusterError[];
  /** Whether objects of this kind were read at least once (possibly before an error). */
  hasData(kind: ObjectKind): boolean;
}

/** @public */
export interface BuildPromotionViewOptions {
  entityRef: string;
  environments: EnvironmentConfig[];
  selectors: WorkloadSelector[];
  annotationProblems?: AnnotationProblem[];
  clusters: ReadonlyMap<string, ClusterData>;
  now: Date;
}

/**
 * Since when a cell's data is stale: the first error, still current, of its
 * cluster or of a kind its chain read data of (a kind that never answered
 * leaves its links Unknown, not stale). A degraded kind still serves data.
 * @public
 */
export function staleSince(
  data: ClusterData,
  cell: ClusterCell,
): string | undefined {
  if (data.errors.length === 0) return undefined;
  const kinds = new Set(cell.chain.map(l => l.ref.kind));
  return data.errors
    .filter(
      e =>
        !e.degraded && (!e.kind || (kinds.has(e.kind) && data.hasData(e.kind))),
    )
    .map(e => e.since)
    .sort()[0];
}

/**
 * The HelmReleases (`namespace/name`, once each) of these clusters' chains
 * that would leave a failed upgrade failed: neither remediated nor retried.
 */
function withoutUpgradeRemediation(cells: ClusterCell[]): string[] {
  const names = cells.flatMap(c =>
    c.chain
      .filter(l => l.remediation?.upgrade.mode === 'none')
      .map(l => `${l.ref.namespace}/${l.ref.name}`),
  );
  return [...new Set(names)].sort();
}

/**
 * The errors a view shows: those of the clusters it reads (a cluster whose
 * environment namespaces its selectors cannot match is not read), and of
 * the kinds it reads there (its selectors' kinds and those of its chains).
 * Errors of other kinds and clusters say nothing about this entity.
 */
function errorsRead(
  view: PromotionView,
  clusters: ReadonlyMap<string, ClusterData>,
  kindsRead: Map<string, Set<ObjectKind>>,
): ClusterError[] {
  const selected = new Set<ObjectKind>(view.selectors.map(s => s.kind));
  return [...readsOfView(view)]
    .filter(([, namespaces]) => !namespaces || namespaces.size > 0)
    .flatMap(([cluster]) =>
      (clusters.get(cluster)?.errors ?? []).filter(
        e =>
          !e.kind ||
          selected.has(e.kind) ||
          !!kindsRead.get(cluster)?.has(e.kind),
      ),
    );
}

/** The environments as the views name them. @public */
export function environmentSummaries(
  environments: EnvironmentConfig[],
): EnvironmentSummary[] {
  return environments.map(e => ({
    name: e.name,
    title: e.title ?? e.name,
    important: e.important ?? false,
    clusters: e.clusters,
  }));
}

/** The workloads the selectors find, each with its cells per environment. */
interface FoundRow {
  kind: WorkloadKind;
  name: string;
  order: number;
  /** A selector names it (not only a label selector finds it). */
  named: boolean;
  cells: Map<string, ClusterCell[]>;
}

interface Found {
  rows: Map<string, FoundRow>;
  /** cluster → kinds the chains of its cells read */
  kindsRead: Map<string, Set<ObjectKind>>;
  /** The selectors (by order) some of whose workloads were left out: past MAX_VIEW_WORKLOADS. */
  cut: Set<number>;
}

/**
 * The workloads a view shows at most: an annotation anyone may write to
 * the catalog (a label selector such as `!nope`) must not make every view,
 * overview and notification check of it walk a whole fleet. Past it, those
 * the annotations name and then the first ones by id are shown, and the
 * annotation whose matches were left out is named as the problem.
 */
export const MAX_VIEW_WORKLOADS = 1000;

const NONE: ReadonlySet<string> = new Set();

/**
 * Ids past the first `max`, those a selector names (`named`) first, then
 * in id order: what a cap leaves out. A workload the annotations name is
 * never pushed out by a broad label selector's matches.
 */
function pastCap(
  ids: string[],
  named: ReadonlySet<string>,
  max: number,
): ReadonlySet<string> {
  // Every view below the cap: no copy, no sort.
  if (ids.length <= max) return NONE;
  const distinct = [...new Set(ids)];
  if (distinct.length <= max) return NONE;
  const rank = (id: string) => (named.has(id) ? 0 : 1);
  return new Set(
    distinct
      .sort()
      // Stable: in id order within each rank.
      .sort((a, b) => rank(a) - rank(b))
      .slice(max),
  );
}

/**
 * Selects the workloads in every cluster of the environments and walks
 * their chains (clusterWorkloads). With `focus`, walks only the chains of
 * that workload in that environment: the other rows are found (selection
 * is an index lookup) but have no cells.
 */
function findWorkloads(
  options: BuildPromotionViewOptions,
  focus?: { environment: string; workload: string },
): Found {
  const { environments, clusters } = options;
  const compiled = compileSelectors(options.selectors);
  const selectorsKey = JSON.stringify(options.selectors);
  const kindsRead = new Map<string, Set<ObjectKind>>();
  const rows = new Map<string, FoundRow>();
  const cut = new Set<number>();
  environments.forEach(env => {
    for (const { cluster, namespaces } of env.clusters) {
      const data = clusters.get(cluster);
      if (!data) continue;
      const found = focus
        ? findInCluster(
            data,
            compiled,
            namespaces,
            cluster,
            id => focus.environment === env.name && focus.workload === id,
          )
        : memoizedFindInCluster(
            data,
            compiled,
            namespaces,
            cluster,
            `${selectorsKey} ${namespaces?.join(',') ?? '*'}`,
            clusters.size,
          );
      found.cut.forEach(order => cut.add(order));
      for (const { id, kind, name, order, named, cell } of found.workloads) {
        let row = rows.get(id);
        if (!row) {
          row = { kind, name, order, named: false, cells: new Map() };
          rows.set(id, row);
        }
        row.named ||= named;
        if (!cell) continue;
        const read = kindsRead.get(cluster) ?? new Set<ObjectKind>();
        cell.chain.forEach(l => read.add(l.ref.kind));
        kindsRead.set(cluster, read);
        const stale = staleSince(data, cell);
        const cells = row.cells.get(env.name) ?? [];
        cells.push(stale ? { ...cell, staleSince: stale } : cell);
        row.cells.set(env.name, cells);
      }
    }
  });
  // Each cluster kept its first ids, so the first ones of all are complete
  // (an id among the first of all is among the first of every cluster).
  const named = new Set(
    rows.size > MAX_VIEW_WORKLOADS
      ? [...rows].filter(([, r]) => r.named).map(([id]) => id)
      : [],
  );
  for (const id of pastCap([...rows.keys()], named, MAX_VIEW_WORKLOADS)) {
    cut.add(rows.get(id)!.order);
    rows.delete(id);
  }
  return { rows, kindsRead, cut };
}

/** A workload the selectors find in one cluster, with its cell there. */
interface FoundInCluster {
  id: string;
  kind: WorkloadKind;
  name: string;
  order: number;
  /** A selector names it. */
  named: boolean;
  /** Absent when its chain was not asked for (`walk`). */
  cell?: ClusterCell;
}

/** What the selectors find in one cluster. */
interface ClusterFinding {
  workloads: FoundInCluster[];
  /** Selectors (by order) some of whose workloads were past the cap here. */
  cut: number[];
}

/**
 * The workloads the selectors find in one cluster (within the
 * environment's namespaces), each with its cell, the first
 * MAX_VIEW_WORKLOADS by id (selecting is an index lookup; the chain walk
 * is the cost); with `walk`, only the cells of the workloads (row ids) it
 * takes.
 */
function findInCluster(
  data: ClusterData,
  compiled: ReturnType<typeof compileSelectors>,
  namespaces: string[] | undefined,
  cluster: string,
  walk?: (id: string) => boolean,
): ClusterFinding {
  const lookup: ObjectLookup = {
    get: (kind, namespace, name) => data.store.get(kind, namespace, name),
    ownedBy: uid => data.store.ownedBy(uid),
    hasData: kind => data.hasData(kind),
  };
  const seen = new Set<string>();
  // The ids the selectors name, whichever cluster finds them: every cluster
  // ranks them first past the cap, as the view does over all clusters, so
  // a named row kept is complete in each.
  const named = new Set(
    compiled
      .filter(c => c.selector.name)
      .map(c => `${c.selector.kind}/${c.selector.name}`),
  );
  const selected: Array<{ id: string; order: number; obj: KubeObject }> = [];
  compiled.forEach((c, order) => {
    const { kind } = c.selector;
    if (!data.hasData(kind)) return;
    for (const obj of select(data.store, c, namespaces)) {
      const id = `${kind}/${obj.metadata.name}`;
      const key = `${kind}/${obj.metadata.namespace}/${obj.metadata.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      selected.push({ id, order, obj });
    }
  });
  // A HelmRelease a selected Release owns is in that Release's chain: named
  // too (`helm-releases`), it is not a second row counted apart.
  const kindSelected = (s: (typeof selected)[number]) =>
    compiled[s.order].selector.kind;
  const releases = new Set(
    selected
      .filter(s => kindSelected(s) === 'Release')
      .map(s => s.obj.metadata.uid)
      .filter((uid): uid is string => !!uid),
  );
  const rows = selected.filter(s => {
    const owner = owningReleaseUid(s.obj);
    return kindSelected(s) !== 'HelmRelease' || !owner || !releases.has(owner);
  });
  const past =
    rows.length > MAX_VIEW_WORKLOADS
      ? pastCap(
          rows.map(s => s.id),
          named,
          MAX_VIEW_WORKLOADS,
        )
      : NONE;
  const cut = new Set<number>();
  const workloads: FoundInCluster[] = [];
  for (const { id, order, obj } of rows) {
    if (past.has(id)) {
      cut.add(order);
      continue;
    }
    const { kind } = compiled[order].selector;
    const { name } = obj.metadata;
    const cell =
      !walk || walk(id)
        ? memoizedClusterCell(
            data.store,
            kind,
            obj,
            lookup,
            cluster,
            namespaces,
          )
        : undefined;
    workloads.push({ id, kind, name, order, named: named.has(id), cell });
  }
  return { workloads, cut: [...cut] };
}

/** Which kinds a cluster has read at least once, one digit per kind: what memos of its findings depend on. */
export function readableKinds(data: ClusterData): string {
  return ALL_KINDS.map(k => (data.hasData(k) ? 1 : 0)).join('');
}

interface ClusterMemo {
  revision: number;
  /** Which kinds were readable when it was found: a kind read for the first time changes what the walk sees. */
  readable: string;
  found: ClusterFinding;
}

/** Per cluster store, what an entity's selectors found there, by selectors and namespaces. */
const clusterMemos = new WeakMap<ObjectStore, Map<string, ClusterMemo>>();
/**
 * Entities × namespace scopes remembered across a fleet's clusters (about
 * 250 bytes each: some 50 MB), shared out among them: an overview of every
 * component reads each cluster for each of them, and a memo smaller than
 * that starts over before it is read again, so it never hits.
 */
const MEMO_BUDGET = 200_000;
/** Remembered per cluster whatever the fleet's size; past its share, a cluster's memo starts over. */
const CLUSTER_MEMO_MIN = 1_000;

/**
 * findInCluster, found again only when the cluster's store changed
 * (its `revision`) or a kind became readable: a cluster that did not
 * change since this entity's last view costs a comparison, not a
 * selection and a chain check per workload. Stores without a revision are
 * searched every time.
 */
function memoizedFindInCluster(
  data: ClusterData,
  compiled: ReturnType<typeof compileSelectors>,
  namespaces: string[] | undefined,
  cluster: string,
  key: string,
  fleetSize: number,
): ClusterFinding {
  const { revision } = data.store;
  if (revision === undefined) {
    return findInCluster(data, compiled, namespaces, cluster);
  }
  let memos = clusterMemos.get(data.store);
  if (!memos) {
    memos = new Map();
    clusterMemos.set(data.store, memos);
  }
  const readable = readableKinds(data);
  const memo = memos.get(key);
  if (memo && memo.revision === revision && memo.readable === readable) {
    return memo.found;
  }
  const found = findInCluster(data, compiled, namespaces, cluster);
  const share = Math.max(
    CLUSTER_MEMO_MIN,
    Math.floor(MEMO_BUDGET / Math.max(fleetSize, 1)),
  );
  if (memos.size >= share) memos.clear();
  memos.set(key, { revision, readable, found });
  return found;
}

/** A workload's cell in one environment, from the cells of its clusters. */
function environmentCell(
  env: EnvironmentConfig,
  row: FoundRow,
  clusters: ReadonlyMap<string, ClusterData>,
): EnvironmentCell {
  const clusterCells = row.cells.get(env.name) ?? [];
  const running = new Set(clusterCells.map(c => c.cluster));
  const others = env.clusters.map(c => c.cluster).filter(c => !running.has(c));
  const available = (c: string) => clusters.get(c)?.hasData(row.kind) ?? false;
  const cell = aggregateEnvironment(
    env.name,
    clusterCells,
    others.filter(available),
    others.filter(c => !available(c)),
  );
  const missing = env.important ? withoutUpgradeRemediation(clusterCells) : [];
  return missing.length ? { ...cell, missingRemediation: missing } : cell;
}

/**
 * Builds the promotion matrix of an entity from the clusters' caches: one
 * row per workload, one cell per environment (in the configured order), the
 * promotion relation between neighbouring environments, and the errors of
 * the clusters involved. Pure: the backend answers page views with it from
 * memory, without a request to any cluster.
 * @public
 */
export function buildPromotionView(
  options: BuildPromotionViewOptions,
): PromotionView {
  const { environments, clusters } = options;
  const { rows, kindsRead, cut } = findWorkloads(options);

  const workloads: WorkloadRow[] = [...rows.entries()]
    .sort(([, a], [, b]) => a.order - b.order || a.name.localeCompare(b.name))
    .map(([id, row]) => {
      const cells = environments.map(env =>
        environmentCell(env, row, clusters),
      );
      // Once each: every cluster of a fleet repeats the same few.
      const knownVersions = [
        ...new Set(
          cells.flatMap(c =>
            c.clusters.flatMap(cc => [
              ...(cc.version ? [cc.version] : []),
              ...cc.history,
            ]),
          ),
        ),
      ];
      const promotions = cells
        .slice(1)
        .map((cell, i) => promotionStep(cells[i], cell, knownVersions));
      const namespaces = [
        ...new Set(cells.flatMap(c => c.clusters.map(cc => cc.namespace))),
      ].sort();
      return {
        id,
        kind: row.kind,
        name: row.name,
        namespaces,
        cells,
        promotions,
      };
    });

  const view: PromotionView = {
    entityRef: options.entityRef,
    environments: environmentSummaries(environments),
    selectors: options.selectors,
    annotationProblems: [
      ...(options.annotationProblems ?? []),
      ...tooManyWorkloads(options.selectors, cut),
    ],
    workloads,
    clusterErrors: [],
    generatedAt: options.now.toISOString(),
  };
  // What the view reads matters only when some cluster has errors.
  if ([...clusters.values()].some(d => d.errors.length > 0)) {
    view.clusterErrors = errorsRead(view, clusters, kindsRead);
  }
  return view;
}

/** The annotations whose selectors found more workloads than a view shows. */
function tooManyWorkloads(
  selectors: WorkloadSelector[],
  cut: Set<number>,
): AnnotationProblem[] {
  const values = new Map<string, string[]>();
  [...cut]
    .sort((a, b) => a - b)
    .forEach(order => {
      const s = selectors[order];
      const value =
        s.labelSelector ??
        ([s.namespace, s.name].filter(Boolean).join('/') || s.kind);
      values.set(s.annotation, [...(values.get(s.annotation) ?? []), value]);
    });
  return [...values].map(([annotation, found]) => ({
    annotation,
    value: [...new Set(found)].join(', '),
    message: `selects more than ${MAX_VIEW_WORKLOADS} workloads: the view shows the first ${MAX_VIEW_WORKLOADS} by kind and name. Narrow it to this component's workloads (a label only they carry, or a namespace).`,
  }));
}

/** Up to this many clusters, a cell's answer gives every one in full. */
const ALL_IN_FULL = 3;

/**
 * Clusters that need a look a cell's answer gives in full at most, worst
 * first (about 4.5 KiB each: root cause, chain, conditions, facts). A bad
 * version failing in a 50-cluster sandbox would otherwise send 50 chains
 * (issue 18: ≤ 64 KiB per cell); the others come in brief with their cause,
 * each in full on demand (`cluster`).
 */
export const MAX_IN_FULL = 5;

/** A cluster in brief: those that need a look keep their cause and staleness. */
function briefOf(c: ClusterCell): ClusterInBrief {
  const brief: ClusterInBrief = {
    cluster: c.cluster,
    namespace: c.namespace,
    state: c.state,
    version: c.version,
  };
  if (!needsALook(c)) return brief;
  return { ...brief, cause: causeOf(c), staleSince: c.staleSince };
}

/**
 * One cell of the entity's view, what the drill-down shows: the chains of
 * the worst `MAX_IN_FULL` (five) clusters that need a look (not Ready, or
 * stale) and of `cluster` when given (every one when the cell has at most
 * three), the other clusters in brief, worst first. Walks only the chains
 * of that workload in that environment. `workload` is a row id
 * (`Kind/name`). Undefined when the environment is not configured or the
 * entity's selectors find no such workload in any environment (a workload
 * found elsewhere has a cell here, not deployed).
 * @public
 */
export function buildCellDetail(
  options: BuildPromotionViewOptions,
  environment: string,
  workload: string,
  cluster?: string,
): CellDetail | undefined {
  const env = options.environments.find(e => e.name === environment);
  if (!env) return undefined;
  const row = findWorkloads(options, { environment, workload }).rows.get(
    workload,
  );
  if (!row) return undefined;
  const cell = environmentCell(env, row, options.clusters);
  const worst = new Set(
    cell.clusters.filter(needsALook).sort(worstFirst).slice(0, MAX_IN_FULL),
  );
  const inFull = (c: ClusterCell) =>
    cell.clusters.length <= ALL_IN_FULL ||
    worst.has(c) ||
    c.cluster === cluster;
  return {
    entityRef: options.entityRef,
    environment,
    workload: { id: workload, kind: row.kind, name: row.name },
    cell: { ...cell, clusters: cell.clusters.filter(inFull) },
    inBrief: cell.clusters
      .filter(c => !inFull(c))
      .sort(worstFirst)
      .map(briefOf),
    generatedAt: options.now.toISOString(),
  };
}
