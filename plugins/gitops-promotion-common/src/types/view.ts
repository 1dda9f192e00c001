import type { ObjectAction } from '../actions';
import { ObjectKind, WorkloadKind } from '../kinds';
import { KubeCondition, KubeEvent, KubeObject } from './objects';

/** The state of one object, as the Flux tools report it. @public */
export type ObjectState =
  | 'Ready'
  | 'Progressing'
  | 'Failed'
  | 'Suspended'
  | 'Unknown';

/** The state of a matrix cell: an object state, or nothing deployed. @public */
export type CellState = ObjectState | 'NotDeployed';

/** What `classifyObject` says of one object. @public */
export interface Classification {
  state: ObjectState;
  reason?: string;
  message?: string;
  /** The revision the object reports (artifact, applied revision, chart version, tag). */
  revision?: string;
  /** When the object entered this state (the deciding condition's lastTransitionTime). */
  since?: string;
  /**
   * Stalled=True: the controller gave up (e.g. RetriesExceeded after a
   * remediated upgrade) and tries again only when the object or its source
   * changes. Absent while it keeps retrying.
   */
  stalled?: boolean;
}

/** Where an object lives, enough to fetch it and to name it. @public */
export interface ObjectRef {
  cluster: string;
  kind: ObjectKind;
  group: string;
  version: string;
  plural: string;
  namespace: string;
  name: string;
}

/** The role a link plays in a workload's chain. @public */
export type LinkRole = 'workload' | 'source' | 'chart' | 'helmRelease';

/**
 * What helm-controller does when a Helm install or upgrade fails, read the
 * way helm-controller v1.6 (Flux 2.8) reads the spec:
 * - strategy RetryOnFailure: it tries the action again every retryInterval
 *   (default 5m) and never rolls back or uninstalls;
 * - otherwise (RemediateOnFailure, the default): `remediation.retries`
 *   attempts (negative: unlimited), with a rollback (upgrade, or an
 *   uninstall when its strategy says so) or an uninstall (install) between
 *   them, and after the last one when `remediateLastFailure` is true (its
 *   default: true for an upgrade with retries, false for an install);
 * - retries 0 without remediateLastFailure: a failed action stays failed
 *   until the object or its chart changes.
 * @public
 */
export interface ActionRemediation {
  mode: 'remediate' | 'retry' | 'none';
  /** For `remediate`: attempts after the first failure; -1 unlimited. */
  retries?: number;
  /** For `remediate`: what is done between attempts and after the last. */
  strategy?: 'rollback' | 'uninstall';
  /** For `remediate`: whether the last failure is remediated too. */
  remediateLastFailure?: boolean;
  /** For `retry`: how often the action is tried again. */
  retryInterval?: string;
}

/** A HelmRelease's failure handling and its counters. @public */
export interface HelmRemediation {
  install: ActionRemediation;
  upgrade: ActionRemediation;
  installFailures: number;
  upgradeFailures: number;
}

/** One object of a workload's chain, in the order a person walks it. @public */
export interface ChainLink {
  ref: ObjectRef;
  role: LinkRole;
  /** False when the chain expects the object but the cluster does not have it. */
  found: boolean;
  classification: Classification;
  conditions: KubeCondition[];
  /** Spec facts worth seeing next to the state (URL, ref, chart, path...). */
  facts: Array<{ label: string; value: string }>;
  /** A HelmRelease's handling of failed installs and upgrades, and its failure counters. */
  remediation?: HelmRemediation;
}

/**
 * The kinds of failure worth telling apart: a source the cluster cannot
 * reach, credentials rejected, a chart or values that fail in this
 * environment, a dependency that is not ready, a deliberate suspension.
 * @public
 */
export type FailureCategory =
  | 'network'
  | 'authentication'
  | 'configuration'
  | 'dependency'
  | 'suspended'
  | 'missing'
  | 'in-progress'
  | 'unknown';

/** The first link that explains a workload's state, in plain words. @public */
export interface RootCause {
  ref: ObjectRef;
  category: FailureCategory;
  /** One sentence a person can act on. */
  summary: string;
  reason?: string;
  message?: string;
  /** kubectl commands that look further, most useful first. */
  nextSteps: string[];
}

/** A workload in one cluster (and namespace). @public */
export interface ClusterCell {
  cluster: string;
  namespace: string;
  state: ObjectState;
  reason?: string;
  message?: string;
  since?: string;
  /** The version running (display form). */
  version?: string;
  /** The full revision the version comes from, used to compare. */
  revision?: string;
  /** The version being rolled out when it differs from the running one. */
  targetVersion?: string;
  /** Digest of the values/parameters, to tell "same version, other values". */
  configDigest?: string;
  /** Earlier revisions this cluster has run, newest first (Helm history). */
  history: string[];
  /** KuboCD Release phase (WAIT_OCI, READY...). */
  phase?: string;
  chain: ChainLink[];
  rootCause?: RootCause;
  /**
   * For a failed cell: `retrying` while the failing object's controller
   * keeps trying (with backoff, and at every interval), `stalled` once it
   * gave up (Stalled=True) until the object or its source changes.
   */
  retry?: RetryState;
  /** Set when the data comes from before the cluster became unavailable. */
  staleSince?: string;
}

/** Whether Flux still retries a failure or has given up. @public */
export type RetryState = 'retrying' | 'stalled';

/** A workload in one environment: the aggregate of its clusters. @public */
export interface EnvironmentCell {
  environment: string;
  state: CellState;
  since?: string;
  /** The version for promotion: the oldest one when clusters differ. */
  version?: string;
  revision?: string;
  /** Distinct versions, newest first. */
  versions: string[];
  /** The newest version being rolled out where it differs from what runs. */
  targetVersion?: string;
  mixedVersions: boolean;
  configDigest?: string;
  readyClusters: number;
  /** Clusters that run the workload. */
  totalClusters: number;
  /** Clusters of the environment that answered and do not run it. */
  notDeployedIn: string[];
  /** Clusters of the environment that never answered: state unknown there. */
  unavailableIn: string[];
  clusters: ClusterCell[];
  /**
   * In an important environment: the HelmReleases (`namespace/name`) of the
   * cell's clusters whose failed upgrade would stay failed (no upgrade
   * remediation). Absent when there are none or the environment is not
   * important.
   */
  missingRemediation?: string[];
}

/**
 * The relation of an environment to the one before it: `behind` is a
 * pending promotion, `values-differ` the same version with other values,
 * `differs` two versions that cannot be ordered (git revisions).
 * @public
 */
export type PromotionRelation =
  | 'equal'
  | 'behind'
  | 'ahead'
  | 'values-differ'
  | 'differs'
  | 'not-deployed'
  | 'unknown';

/** @public */
export interface PromotionStep {
  from: string;
  to: string;
  relation: PromotionRelation;
  /** For `behind`: versions known in this row between the two, the upstream one included. */
  behindBy?: number;
  fromVersion?: string;
  toVersion?: string;
}

/** A row of the matrix. @public */
export interface WorkloadRow {
  /** Stable key: kind and name (namespaces may differ per environment). */
  id: string;
  kind: WorkloadKind;
  name: string;
  namespaces: string[];
  /** One per environment, in the configured order. */
  cells: EnvironmentCell[];
  /** One per pair of neighbouring environments. */
  promotions: PromotionStep[];
}

/** @public */
export type ClusterErrorType =
  | 'UNREACHABLE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_INSTALLED'
  | 'VERSION_NOT_SERVED'
  | 'TIMEOUT';

/** A cluster (or one kind on it) the backend cannot read. @public */
export interface ClusterError {
  cluster: string;
  type: ClusterErrorType;
  /** The kind affected; absent when the whole cluster is. */
  kind?: ObjectKind;
  message: string;
  /** When this error was first seen. */
  since: string;
  /** When the data shown for this cluster/kind was last known good; absent if never. */
  lastSyncedAt?: string;
  /** True when data is still served (a beta version stands in for the stable one). */
  degraded?: boolean;
}

/** @public */
export interface EnvironmentSummary {
  name: string;
  title: string;
  /** Failures here matter most: its workloads should remediate failed upgrades. */
  important: boolean;
  clusters: Array<{ cluster: string; namespaces?: string[] }>;
}

/** What the entity's annotations select. @public */
export interface WorkloadSelector {
  kind: WorkloadKind;
  namespace?: string;
  name?: string;
  labelSelector?: string;
  /** The annotation the selector came from. */
  annotation: string;
}

/** An annotation whose value cannot be used, and why. @public */
export interface AnnotationProblem {
  annotation: string;
  value: string;
  message: string;
}

/**
 * A promotion view in full: every cluster's chain of every cell. What the
 * backend's actions, journal and authorization work from; the HTTP API
 * answers {@link PromotionViewSummary} and {@link CellDetail} instead.
 * @public
 */
export interface PromotionView {
  entityRef: string;
  environments: EnvironmentSummary[];
  selectors: WorkloadSelector[];
  /** Bad annotation values: never sent to a cluster, shown on the tab. */
  annotationProblems: AnnotationProblem[];
  workloads: WorkloadRow[];
  clusterErrors: ClusterError[];
  /** When the view was built from the caches. */
  generatedAt: string;
}

/**
 * A cluster of a cell that needs a look: not Ready, or its data is stale.
 * What the matrix and the comparison header name; the chain behind it
 * comes with the cell's {@link CellDetail}.
 * @public
 */
export interface ClusterAttention {
  cluster: string;
  namespace: string;
  state: ObjectState;
  /** One line: the root cause's summary, else the workload's own message, clipped. */
  cause?: string;
  since?: string;
  version?: string;
  targetVersion?: string;
  retry?: RetryState;
  staleSince?: string;
}

/** The clusters of a mixed cell that run one version. @public */
export interface VersionSpread {
  /** Absent for clusters whose version is not known. */
  version?: string;
  count: number;
  /** The first few of them by name (at most three). */
  clusters: string[];
}

/**
 * A cell of the page view: an {@link EnvironmentCell} without its
 * clusters, whose size grows with the environment's clusters, but with
 * what the matrix, the markers and the comparison header show of them.
 * @public
 */
export interface CellSummary extends Omit<EnvironmentCell, 'clusters'> {
  /** Distinct versions being rolled out in some cluster, newest first. */
  targetVersions: string[];
  /** `stalled` when a cluster's controller gave up, else `retrying` when one keeps trying. */
  retry?: RetryState;
  /** The clusters not Ready or stale, worst first: at most ten. */
  attention: ClusterAttention[];
  /** How many more clusters need a look than `attention` names; absent when none. */
  attentionLeftOut?: number;
  /** How many of those left out have stale data; absent when none. */
  staleLeftOut?: number;
  /** For mixed versions: how many clusters run each, newest first. */
  versionSpread?: VersionSpread[];
}

/** A row of the page view. @public */
export interface WorkloadRowSummary extends Omit<WorkloadRow, 'cells'> {
  cells: CellSummary[];
}

/**
 * The answer of the promotion endpoint: the matrix, sized by environments
 * and workloads, not by clusters. A cell's clusters, their chains,
 * conditions and facts come with {@link CellDetail}.
 * @public
 */
export interface PromotionViewSummary
  extends Omit<PromotionView, 'workloads' | 'generatedAt'> {
  workloads: WorkloadRowSummary[];
  /**
   * Every namespace the view's cells and chains read, in any cluster: with
   * the environments and selectors, what a change signal is matched
   * against.
   */
  linkedNamespaces: string[];
  generatedAt: string;
}

/**
 * A cluster of a cell in brief: its chain comes when asked for. Ready, or
 * one that needs a look beyond those the answer gives in full.
 * @public
 */
export interface ClusterInBrief {
  cluster: string;
  namespace: string;
  state: ObjectState;
  version?: string;
  /** For a cluster that needs a look: as {@link ClusterAttention}'s. */
  cause?: string;
  /** For a cluster that needs a look: set when its data is stale. */
  staleSince?: string;
}

/**
 * The answer of the cell endpoint: one cell with the chains of the worst
 * few of its clusters that need a look (not Ready, or stale; five at
 * most), of the cluster asked for, or of all of them when they are few;
 * the other clusters in brief. Past those few, each cluster adds a line,
 * not a chain.
 * @public
 */
export interface CellDetail {
  entityRef: string;
  environment: string;
  workload: { id: string; kind: WorkloadKind; name: string };
  /** The cell; `clusters` holds the clusters given in full. */
  cell: EnvironmentCell;
  /**
   * The cell's other clusters, worst first: those that need a look (with
   * their cause) before the Ready ones, then by name.
   */
  inBrief: ClusterInBrief[];
  /** When the cell was built from the caches. */
  generatedAt: string;
}

/** A field left out of an object the caller may not read in full, with the digest of what it held. @public */
export interface HiddenField {
  /** Dotted path, e.g. `spec.values`. */
  path: string;
  /** `spec-sha256:` of the field's canonical JSON: equal digests, equal values. */
  digest: string;
}

/** The answer of the object endpoint: a full object for the drill-down. @public */
export interface ObjectDetails {
  ref: ObjectRef;
  /** The object without managed fields; value fields hidden or redacted (below). */
  object: KubeObject;
  classification: Classification;
  events: KubeEvent[];
  /** Set when events could not be read (the object still is). */
  eventsError?: string;
  /** Value fields left out: the caller lacks `gitops-promotion.values.read`. */
  hiddenFields: HiddenField[];
  /** Paths whose values were replaced by `<redacted>` (credentials). */
  redactedPaths: string[];
}

/** Whether the caller may take an action on an object, and why not. @public */
export interface ActionDecision {
  action: ObjectAction;
  allowed: boolean;
  /** Why not, in words the UI shows as they are. */
  reason?: string;
}

/** The actions on one found link of an entity's view. @public */
export interface LinkActions {
  ref: ObjectRef;
  /** The environment the object belongs to. */
  environment: string;
  actions: ActionDecision[];
}

/** The answer of the actions endpoint: what the caller may do where. @public */
export interface AllowedActions {
  entityRef: string;
  links: LinkActions[];
}

/** One side of a values comparison: a workload in one cluster. @public */
export interface ValuesSide {
  ref: ObjectRef;
  environment: string;
  /** `spec-sha256:` of the document before redaction. */
  digest: string;
  /**
   * What the workload runs with (Helm values; a KuboCD Release's
   * parameters and its HelmReleases' values; a Kustomization's
   * substitutions), credentials redacted. Absent without
   * `gitops-promotion.values.read`.
   */
  document?: unknown;
}

/** The answer of the values-diff endpoint. @public */
export interface ValuesComparison {
  from: ValuesSide;
  to: ValuesSide;
  /** Paths whose values differ, read before redaction (a changed password is named, never shown). */
  changedKeys: string[];
  /** Paths redacted in the documents. */
  redactedPaths: string[];
  /** Why the documents are left out, when they are. */
  valuesHidden?: string;
}
