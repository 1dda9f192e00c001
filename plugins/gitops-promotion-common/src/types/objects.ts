/**
 * The subset of Kubernetes object shapes the plugin reads. Objects arrive as
 * the API server serves them (or slimmed by the backend); every field is
 * optional because clusters run many controller versions.
 */

/** @public */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A metav1.Condition. @public */
export interface KubeCondition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/** @public */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** @public */
export interface KubeObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

/** A reference to another object, as Flux specs write them. @public */
export interface CrossNamespaceRef {
  kind?: string;
  name: string;
  namespace?: string;
  apiVersion?: string;
}

/** A Flux artifact (status.artifact). @public */
export interface FluxArtifact {
  revision?: string;
  digest?: string;
  lastUpdateTime?: string;
  url?: string;
}

/**
 * One entry of a HelmRelease v2 `status.history` (newest first by Helm
 * revision, though helm-controller does not keep it sorted after a
 * rollback). Entries of older snapshots (v2beta2) have no `status`.
 * @public
 */
export interface HelmReleaseSnapshot {
  name?: string;
  namespace?: string;
  version?: number;
  status?: string;
  chartName?: string;
  chartVersion?: string;
  appVersion?: string;
  configDigest?: string;
  digest?: string;
  firstDeployed?: string;
  lastDeployed?: string;
}

/**
 * One entry of a Kustomization `status.history` (kustomize-controller
 * v1.7+): a revision it applied, newest first. @public
 */
export interface KustomizationSnapshot {
  /** Digest of the applied inventory. */
  digest?: string;
  firstReconciled?: string;
  lastReconciled?: string;
  lastReconciledDuration?: string;
  lastReconciledStatus?: string;
  totalReconciliations?: number;
  /** `revision` (the source revision applied) and other source metadata. */
  metadata?: Record<string, string>;
}

/** KuboCD `status.helmReleaseStates` value. @public */
export interface KuboHelmReleaseState {
  ready?: ConditionStatus | string;
  status?: string;
}

/**
 * Spec fields read across the Flux kinds and the KuboCD Release. `valuesDigest`
 * and `parametersDigest` are set by the backend when it drops the values.
 * @public
 */
export interface KubeObjectSpec {
  suspend?: boolean;
  suspended?: boolean;
  url?: string;
  type?: string;
  path?: string;
  interval?: string;
  targetNamespace?: string;
  ref?: {
    branch?: string;
    tag?: string;
    semver?: string;
    commit?: string;
    name?: string;
    digest?: string;
  };
  secretRef?: { name: string };
  sourceRef?: CrossNamespaceRef;
  chart?: string | { spec?: HelmChartTemplateSpec };
  chartRef?: CrossNamespaceRef;
  version?: string;
  package?: { repository?: string; tag?: string; interval?: string };
  description?: string;
  contexts?: Array<{ name?: string; namespace?: string } | string>;
  dependencies?: string[];
  dependsOn?: CrossNamespaceRef[];
  values?: unknown;
  parameters?: unknown;
  valuesDigest?: string;
  parametersDigest?: string;
  [key: string]: unknown;
}

/** HelmRelease `spec.chart.spec`. @public */
export interface HelmChartTemplateSpec {
  chart?: string;
  version?: string;
  sourceRef?: CrossNamespaceRef;
}

/** Status fields read across the Flux kinds and the KuboCD Release. @public */
export interface KubeObjectStatus {
  observedGeneration?: number;
  conditions?: KubeCondition[];
  artifact?: FluxArtifact;
  lastHandledReconcileAt?: string;
  lastAppliedRevision?: string;
  lastAttemptedRevision?: string;
  lastAttemptedConfigDigest?: string;
  lastAttemptedValuesChecksum?: string;
  /** HelmRelease or Kustomization history, as the object's kind writes it. */
  history?: Array<HelmReleaseSnapshot & KustomizationSnapshot>;
  helmChart?: string;
  installFailures?: number;
  upgradeFailures?: number;
  failures?: number;
  phase?: string;
  readyReleases?: string;
  missingDependency?: string;
  helmReleaseStates?: Record<string, KuboHelmReleaseState>;
  [key: string]: unknown;
}

/** A Kubernetes object as the plugin reads it. @public */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: KubeObjectMeta;
  spec?: KubeObjectSpec;
  status?: KubeObjectStatus;
}

/** A core/v1 Event, reduced to what a drill-down shows. @public */
export interface KubeEvent {
  type: string;
  reason: string;
  message: string;
  count: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  source?: string;
}
