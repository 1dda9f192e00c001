import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import {
  KubeObject,
  ObjectKind,
} from '@gitops-promotion/backstage-plugin-common';
import {
  RECONCILE_DISABLED_ANNOTATION,
  WORKLOAD_KINDS,
} from '@gitops-promotion/backstage-plugin-common/server';
import { InternTable } from './InternTable';

type Json = Record<string, unknown>;

const isJson = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
type Share = <T>(value: T) => T;

/**
 * Strings repeated across thousands of objects (kinds, namespaces, reasons,
 * phases, chart versions, revisions, source URLs, messages of sources that
 * pull the same artifact, names that specs refer to) are shared instead of
 * copied per object: JSON parsing gives every object its own copy. Object
 * names and uids, unique by definition, are not looked up.
 */
const INTERN_MAX_LENGTH = 256;
const strings = new InternTable<string>(50_000);
const intern: Share = value =>
  typeof value !== 'string' || value.length > INTERN_MAX_LENGTH
    ? value
    : (strings.share(value, value) as typeof value);

/**
 * Small parts of objects that repeat across objects and clusters (a
 * Release's package, a chart template, a source reference, an artifact
 * revision, the controller reference of a Release's children, whole specs of
 * the same workload in every cluster of an environment) are shared too,
 * keyed by their JSON: a fleet of 200 clusters runs the same workloads in
 * each. Parts with a timestamp (conditions) are not: they would fill the
 * table with values seen once. Cached objects are never changed (a watch
 * event replaces the object), so sharing is safe; they are not frozen
 * because frozen objects take other hidden classes and made the view's
 * chain walk 50 % slower.
 */
const parts = new InternTable<object>(20_000);
function share<T>(value: T): T {
  if (!value || typeof value !== 'object') return value;
  return parts.share(JSON.stringify(value), value) as T;
}

/** The fields of an object that are set, strings shared. */
function pick(source: unknown, fields: string[]): Json | undefined {
  if (!isJson(source)) return undefined;
  const out: Json = {};
  for (const field of fields) {
    if (source[field] !== undefined) out[field] = intern(source[field]);
  }
  return out;
}

/** `pick`, shared. */
const pickShared = (source: unknown, fields: string[]) =>
  share(pick(source, fields));

const objectReference = (ref: unknown) =>
  pickShared(ref, ['apiVersion', 'kind', 'name', 'namespace']);

/** A map of strings (a source's ref: branch, tag, semver...; labels), in its order; other values dropped. */
function stringMap(map: unknown): Record<string, string> | undefined {
  if (!isJson(map)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) {
    if (typeof value === 'string') out[key] = intern(value);
  }
  return share(out);
}

/** Of a HelmRelease's install or upgrade: what it does when the action fails. */
const failureHandling = (action: unknown) =>
  isJson(action)
    ? share({
        strategy: pick(action.strategy, ['name', 'retryInterval']),
        remediation: pick(action.remediation, [
          'retries',
          'remediateLastFailure',
          'strategy',
        ]),
      })
    : undefined;

type SpecField = string | [string, (value: unknown) => unknown];

/**
 * The spec fields each kind's chain walk, facts and classification read,
 * and within them only the fields read (a HelmRelease's chart template
 * keeps chart, version and sourceRef; its interval and values files stay in
 * the cluster). Everything else (values, patches, post-build
 * substitutions...) is fetched on demand for drill-down and compare.
 */
const SPEC_FIELDS: Record<ObjectKind, SpecField[]> = {
  Release: [
    ['package', p => pickShared(p, ['repository', 'tag'])],
    'description',
    'suspended',
    'targetNamespace',
  ],
  HelmRelease: [
    [
      'chart',
      c =>
        isJson(c)
          ? share({
              spec: isJson(c.spec)
                ? {
                    ...pick(c.spec, ['chart', 'version']),
                    ...(c.spec.sourceRef
                      ? { sourceRef: objectReference(c.spec.sourceRef) }
                      : {}),
                  }
                : undefined,
            })
          : intern(c),
    ],
    ['chartRef', objectReference],
    ['install', failureHandling],
    ['upgrade', failureHandling],
    'suspend',
    'targetNamespace',
  ],
  Kustomization: [
    ['sourceRef', objectReference],
    'path',
    'suspend',
    'targetNamespace',
  ],
  GitRepository: [
    'url',
    ['ref', stringMap],
    ['secretRef', r => pickShared(r, ['name'])],
    'suspend',
  ],
  OCIRepository: [
    'url',
    ['ref', stringMap],
    ['secretRef', r => pickShared(r, ['name'])],
    'suspend',
  ],
  HelmRepository: [
    'url',
    'type',
    ['secretRef', r => pickShared(r, ['name'])],
    'suspend',
  ],
  HelmChart: ['chart', 'version', ['sourceRef', objectReference], 'suspend'],
  Bucket: [
    'endpoint',
    'bucketName',
    'provider',
    'prefix',
    ['secretRef', r => pickShared(r, ['name'])],
    'suspend',
  ],
  // Written by a generator (sourceRef); it has no spec.suspend of its own.
  ExternalArtifact: [['sourceRef', objectReference]],
};

/** Status fields kept as they are (strings shared). */
const STATUS_FIELDS = [
  'observedGeneration',
  'lastAppliedRevision',
  'lastAttemptedRevision',
  'lastAttemptedConfigDigest',
  'lastAttemptedValuesChecksum',
  'helmChart',
  'phase',
  'readyReleases',
  'missingDependency',
  'installFailures',
  'upgradeFailures',
];

/** Annotations the status rules and actions read. */
const KEPT_ANNOTATIONS = [
  RECONCILE_DISABLED_ANNOTATION,
  'reconcile.fluxcd.io/requestedAt',
];

/** Labels are only matched against selectors on the kinds that make rows. */
const LABELLED_KINDS = new Set<ObjectKind>(WORKLOAD_KINDS);

/**
 * sha256 of a canonical JSON (keys sorted by code unit, whatever the
 * locale: safe-stable-stringify), so equal values give equal digests.
 * Prefixed `spec-sha256`: helm-controller hashes values another way, so
 * this digest must never be compared with its `sha256:` config digests.
 */
export function valuesDigest(value: unknown): string {
  const canonical = stringify(value) ?? 'null';
  return `spec-sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

/**
 * What the cache holds of an object: the fields the view reads, no
 * managedFields, no last-applied annotation, no resourceVersion or
 * timestamps the view does not show, labels only on the kinds selectors
 * match, Helm values and KuboCD parameters replaced by their digest, and
 * repeated strings shared. Same shape as the API object, so the common
 * package's rules read both.
 */
export function slimObject(kind: ObjectKind, obj: KubeObject): KubeObject {
  const { metadata } = obj;
  const annotations: Record<string, string> = {};
  for (const key of KEPT_ANNOTATIONS) {
    const value = metadata.annotations?.[key];
    if (value !== undefined) annotations[key] = value;
  }
  // The same for every object a Release or HelmRelease owns: shared.
  const owners = share(
    metadata.ownerReferences
      ?.filter(o => o.controller)
      .map(o => ({
        apiVersion: intern(o.apiVersion),
        kind: intern(o.kind),
        name: o.name,
        uid: o.uid,
        controller: true,
      })),
  );
  const labels =
    metadata.labels && LABELLED_KINDS.has(kind)
      ? stringMap(metadata.labels)
      : undefined;

  const spec: Json = {};
  const source: Json | undefined = isJson(obj.spec) ? obj.spec : undefined;
  for (const entry of SPEC_FIELDS[kind]) {
    const [field, slimField] =
      typeof entry === 'string' ? [entry, intern] : entry;
    if (source?.[field] !== undefined) spec[field] = slimField(source[field]);
  }
  if (source?.values !== undefined)
    spec.valuesDigest = valuesDigest(source.values);
  if (source?.parameters !== undefined)
    spec.parametersDigest = valuesDigest(source.parameters);

  const status = obj.status;
  const slimStatus = pick(status, STATUS_FIELDS) ?? {};
  // Shown in the drill-down; a timestamp nearly unique per object, so not interned.
  if (status?.lastHandledReconcileAt) {
    slimStatus.lastHandledReconcileAt = status.lastHandledReconcileAt;
  }
  if (status?.artifact?.revision)
    slimStatus.artifact = share({ revision: intern(status.artifact.revision) });
  if (status?.conditions) {
    slimStatus.conditions = status.conditions.map(c => ({
      type: intern(c.type),
      status: intern(c.status),
      reason: intern(c.reason),
      message: intern(c.message),
      lastTransitionTime: intern(c.lastTransitionTime),
      observedGeneration: c.observedGeneration,
    }));
  }
  // The journal times a version by the history entry that deployed or
  // first applied it; the drill-down reads the rest from the cluster.
  if (status?.history && kind === 'HelmRelease') {
    slimStatus.history = status.history.map(h =>
      share({
        chartName: intern(h.chartName),
        chartVersion: intern(h.chartVersion),
        configDigest: intern(h.configDigest),
        status: intern(h.status),
        version: h.version,
        lastDeployed: h.lastDeployed,
      }),
    );
  }
  if (status?.history && kind === 'Kustomization') {
    slimStatus.history = status.history.map(h => ({
      ...(h.metadata?.revision !== undefined
        ? { metadata: { revision: intern(h.metadata.revision) } }
        : {}),
      digest: h.digest,
      firstReconciled: h.firstReconciled,
      lastReconciledStatus: intern(h.lastReconciledStatus),
    }));
  }
  if (status?.helmReleaseStates) {
    // The chain walk reads the module names; the messages stay in the cluster.
    slimStatus.helmReleaseStates = share(
      Object.fromEntries(
        Object.entries(status.helmReleaseStates).map(([module, state]) => [
          module,
          { ready: intern(state?.ready) },
        ]),
      ),
    );
  }

  return {
    apiVersion: intern(obj.apiVersion),
    kind: intern(obj.kind),
    metadata: {
      name: metadata.name,
      namespace: intern(metadata.namespace),
      uid: metadata.uid,
      generation: metadata.generation,
      ...(labels ? { labels } : {}),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ...(owners?.length ? { ownerReferences: owners } : {}),
    },
    spec: share(spec),
    ...(status ? { status: slimStatus } : {}),
  };
}
