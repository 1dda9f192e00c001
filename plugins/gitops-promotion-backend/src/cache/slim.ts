import { createHash } from 'node:crypto';
import {
  KubeObject,
  ObjectKind,
  RECONCILE_DISABLED_ANNOTATION,
} from '@gitops-promotion/backstage-plugin-common';

/**
 * The spec fields each kind's chain walk, facts and classification read.
 * Everything else (values, patches, post-build substitutions...) stays in
 * the cluster and is fetched on demand for drill-down and compare.
 */
const SPEC_FIELDS: Record<ObjectKind, string[]> = {
  Release: [
    'package',
    'description',
    'suspended',
    'targetNamespace',
    'dependencies',
  ],
  HelmRelease: ['chart', 'chartRef', 'suspend', 'targetNamespace'],
  Kustomization: ['sourceRef', 'path', 'suspend', 'targetNamespace'],
  GitRepository: ['url', 'ref', 'secretRef', 'suspend'],
  OCIRepository: ['url', 'ref', 'secretRef', 'suspend'],
  HelmRepository: ['url', 'type', 'secretRef', 'suspend'],
  HelmChart: ['chart', 'version', 'sourceRef', 'suspend'],
};

const STATUS_FIELDS = [
  'observedGeneration',
  'lastHandledReconcileAt',
  'lastAppliedRevision',
  'lastAttemptedRevision',
  'lastAttemptedConfigDigest',
  'lastAttemptedValuesChecksum',
  'helmChart',
  'phase',
  'readyReleases',
  'missingDependency',
  'helmReleaseStates',
];

/** Annotations the status rules and actions read. */
const KEPT_ANNOTATIONS = [
  RECONCILE_DISABLED_ANNOTATION,
  'reconcile.fluxcd.io/requestedAt',
];

/** Strings repeated across thousands of objects, shared instead of copied per object. */
const interned = new Map<string, string>();
function intern(value: string | undefined): string | undefined {
  if (value === undefined || value.length > 64) return value;
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size < 50_000) interned.set(value, value);
  return value;
}

/** sha256 of a canonical JSON (keys sorted), so equal values give equal digests. */
export function valuesDigest(value: unknown): string {
  const canonical = JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

function pick(source: Record<string, unknown> | undefined, fields: string[]) {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (source?.[field] !== undefined) out[field] = source[field];
  }
  return out;
}

/**
 * What the cache holds of an object: the fields the view reads, no
 * managedFields, no last-applied annotation, Helm values and KuboCD
 * parameters replaced by their digest. Same shape as the API object, so
 * the common package's rules read both.
 */
export function slimObject(kind: ObjectKind, obj: KubeObject): KubeObject {
  const { metadata } = obj;
  const annotations = pick(metadata.annotations, KEPT_ANNOTATIONS) as Record<
    string,
    string
  >;
  const owners = metadata.ownerReferences
    ?.filter(o => o.controller)
    .map(o => ({
      apiVersion: intern(o.apiVersion)!,
      kind: intern(o.kind)!,
      name: o.name,
      uid: o.uid,
      controller: true,
    }));

  const spec = pick(obj.spec, SPEC_FIELDS[kind]);
  if (obj.spec?.values !== undefined)
    spec.valuesDigest = valuesDigest(obj.spec.values);
  if (obj.spec?.parameters !== undefined)
    spec.parametersDigest = valuesDigest(obj.spec.parameters);

  const status = obj.status;
  const slimStatus: Record<string, unknown> = pick(status, STATUS_FIELDS);
  if (status?.artifact?.revision)
    slimStatus.artifact = { revision: status.artifact.revision };
  if (status?.conditions) {
    slimStatus.conditions = status.conditions.map(c => ({
      type: intern(c.type),
      status: intern(c.status),
      reason: intern(c.reason),
      message: c.message,
      lastTransitionTime: intern(c.lastTransitionTime),
      observedGeneration: c.observedGeneration,
    }));
  }
  if (status?.history) {
    slimStatus.history = status.history.map(h => ({
      chartName: intern(h.chartName),
      chartVersion: intern(h.chartVersion),
      appVersion: intern(h.appVersion),
      configDigest: h.configDigest,
      status: intern(h.status),
      version: h.version,
      lastDeployed: h.lastDeployed,
    }));
  }

  return {
    apiVersion: intern(obj.apiVersion),
    kind: intern(obj.kind),
    metadata: {
      name: metadata.name,
      namespace: intern(metadata.namespace),
      uid: metadata.uid,
      generation: metadata.generation,
      resourceVersion: metadata.resourceVersion,
      creationTimestamp: metadata.creationTimestamp,
      ...(metadata.labels ? { labels: metadata.labels } : {}),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ...(owners?.length ? { ownerReferences: owners } : {}),
    },
    spec,
    ...(status ? { status: slimStatus } : {}),
  };
}
