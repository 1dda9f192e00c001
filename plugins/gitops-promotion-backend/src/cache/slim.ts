import { createHash } from 'node:crypto';
import { KubernetesValidatorFunctions } from '@backstage/catalog-model';
import { configure } from 'safe-stable-stringify';
import {
  KubeObject,
  ObjectKind,
} from '@gitops-promotion/backstage-plugin-common';
import {
  clipText,
  MAX_OBJECT_DEPTH,
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

/**
 * Readers of the types the CRDs declare for the fields the rules read: a
 * field of another type (a broken or hostile API server, a CRD without a
 * schema) reads as undefined and is left out, so the common package's
 * rules can trust what they read.
 */
type Read = (value: unknown) => unknown;

const str = (value: unknown) =>
  typeof value === 'string' ? intern(value) : undefined;
/** A string unique to its object (a uid, a timestamp, a digest): not shared, it would only churn the table. */
const own = (value: unknown) => (typeof value === 'string' ? value : undefined);
const num = (value: unknown) => (typeof value === 'number' ? value : undefined);
const bool = (value: unknown) =>
  typeof value === 'boolean' ? value : undefined;

/** The objects of a list; anything else (not a list, null entries) left out. */
const entries = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter(isJson) : [];

/**
 * The most conditions kept per object, and the longest message kept: Flux
 * writes under ten, each message a line or a template error; a hostile
 * status may hold any number of any length.
 */
const MAX_CONDITIONS = 32;
const MAX_CONDITION_MESSAGE = 4096;
/** The conditions the status rules decide by, kept wherever they stand. */
const DECIDING_CONDITIONS = new Set(['Ready', 'Stalled', 'Reconciling']);

/**
 * A status's conditions as the rules read them: each with a string type
 * and status (one without them says nothing), the first of each type (the
 * one `findCondition` reads), and at most {@link MAX_CONDITIONS} of them,
 * the deciding ones always among them.
 */
function boundedConditions(conditions: Json[]): Json[] {
  const seen = new Set<string>();
  const wellFormed = conditions.filter(c => {
    if (typeof c.type !== 'string' || typeof c.status !== 'string') {
      return false;
    }
    if (seen.has(c.type)) return false;
    seen.add(c.type);
    return true;
  });
  if (wellFormed.length <= MAX_CONDITIONS) return wellFormed;
  const deciding = wellFormed.filter(c =>
    DECIDING_CONDITIONS.has(c.type as string),
  );
  const others = wellFormed.filter(
    c => !DECIDING_CONDITIONS.has(c.type as string),
  );
  const kept = new Set([
    ...deciding,
    ...others.slice(0, MAX_CONDITIONS - deciding.length),
  ]);
  return wellFormed.filter(c => kept.has(c));
}

/** The fields of an object, each read with its reader; those it leaves undefined left out. */
function pick(source: unknown, fields: Record<string, Read>): Json | undefined {
  if (!isJson(source)) return undefined;
  const out: Json = {};
  for (const [field, read] of Object.entries(fields)) {
    const value = source[field] === undefined ? undefined : read(source[field]);
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/** `pick`, shared. */
const pickShared = (source: unknown, fields: Record<string, Read>) =>
  share(pick(source, fields));

const objectReference = (ref: unknown) =>
  pickShared(ref, {
    apiVersion: str,
    kind: str,
    name: str,
    namespace: str,
  });

/** A map of strings (a source's ref: branch, tag, semver...; labels), in its order; other values dropped. */
function stringMap(map: unknown): Record<string, string> | undefined {
  if (!isJson(map)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) {
    if (typeof value === 'string') out[key] = intern(value);
  }
  return share(out);
}

const secretRef = (ref: unknown) => pickShared(ref, { name: str });

/** Of a HelmRelease's install or upgrade: what it does when the action fails. */
const failureHandling = (action: unknown) =>
  isJson(action)
    ? share({
        strategy: pick(action.strategy, {
          name: str,
          retryInterval: str,
        }),
        remediation: pick(action.remediation, {
          retries: num,
          remediateLastFailure: bool,
          strategy: str,
        }),
      })
    : undefined;

/**
 * The spec fields each kind's chain walk, facts and classification read,
 * and within them only the fields read (a HelmRelease's chart template
 * keeps chart, version and sourceRef; its interval and values files stay in
 * the cluster). Everything else (values, patches, post-build
 * substitutions...) is fetched on demand for drill-down and compare.
 */
const SPEC_FIELDS: Record<ObjectKind, Record<string, Read>> = {
  Release: {
    package: p => pickShared(p, { repository: str, tag: str }),
    description: str,
    suspended: bool,
    targetNamespace: str,
  },
  HelmRelease: {
    chart: c =>
      isJson(c)
        ? share({
            spec: isJson(c.spec)
              ? pick(c.spec, {
                  chart: str,
                  version: str,
                  sourceRef: objectReference,
                })
              : undefined,
          })
        : str(c),
    chartRef: objectReference,
    install: failureHandling,
    upgrade: failureHandling,
    suspend: bool,
    targetNamespace: str,
  },
  Kustomization: {
    sourceRef: objectReference,
    path: str,
    suspend: bool,
    targetNamespace: str,
  },
  GitRepository: {
    url: str,
    ref: stringMap,
    secretRef,
    suspend: bool,
  },
  OCIRepository: {
    url: str,
    ref: stringMap,
    secretRef,
    suspend: bool,
  },
  HelmRepository: {
    url: str,
    type: str,
    secretRef,
    suspend: bool,
  },
  HelmChart: {
    chart: str,
    version: str,
    sourceRef: objectReference,
    suspend: bool,
  },
  Bucket: {
    endpoint: str,
    bucketName: str,
    provider: str,
    prefix: str,
    secretRef,
    suspend: bool,
  },
  // Written by a generator (sourceRef); it has no spec.suspend of its own.
  ExternalArtifact: { sourceRef: objectReference },
};

/** Status fields kept as they are (strings shared). */
const STATUS_FIELDS: Record<string, Read> = {
  observedGeneration: num,
  lastAppliedRevision: str,
  lastAttemptedRevision: str,
  lastAttemptedConfigDigest: str,
  lastAttemptedValuesChecksum: str,
  helmChart: str,
  phase: str,
  readyReleases: str,
  missingDependency: str,
  installFailures: num,
  upgradeFailures: num,
};

/** Annotations the status rules and actions read. */
const KEPT_ANNOTATIONS = [
  RECONCILE_DISABLED_ANNOTATION,
  'reconcile.fluxcd.io/requestedAt',
];

/** Labels are only matched against selectors on the kinds that make rows. */
const LABELLED_KINDS = new Set<ObjectKind>(WORKLOAD_KINDS);

// Values nested deeper compare by their first levels: see MAX_OBJECT_DEPTH.
const canonicalJson = configure({ maximumDepth: MAX_OBJECT_DEPTH });

/**
 * sha256 of a canonical JSON (keys sorted by code unit, whatever the
 * locale: safe-stable-stringify), so equal values give equal digests.
 * Prefixed `spec-sha256`: helm-controller hashes values another way, so
 * this digest must never be compared with its `sha256:` config digests.
 */
export function valuesDigest(value: unknown): string {
  const canonical = canonicalJson(value) ?? 'null';
  return `spec-sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

/** An object the cache cannot hold: its name or namespace is not one the API server writes. */
export class UnreadableObjectError extends Error {
  readonly name = 'UnreadableObjectError';
}

// The API server's own rules (RFC 1123): a custom resource's name is a DNS
// subdomain of up to 253 characters, a namespace a DNS label.
const OBJECT_NAME =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * The namespace and name of an object, when they are what the API server
 * writes: anything else (a broken or hostile server) would reach the
 * journal's columns, the drill-down's paths and the suggested commands.
 */
export function objectIdentity(
  obj: unknown,
): { namespace?: string; name: string } | undefined {
  const metadata = isJson(obj) ? obj.metadata : undefined;
  if (!isJson(metadata)) return undefined;
  const { name, namespace } = metadata;
  if (typeof name !== 'string' || name.length > 253 || !OBJECT_NAME.test(name))
    return undefined;
  if (namespace === undefined || namespace === '') return { name };
  return typeof namespace === 'string' &&
    KubernetesValidatorFunctions.isValidNamespace(namespace)
    ? { name, namespace }
    : undefined;
}

/**
 * What the cache holds of an object: the fields the view reads, no
 * managedFields, no last-applied annotation, no resourceVersion or
 * timestamps the view does not show, labels only on the kinds selectors
 * match, Helm values and KuboCD parameters replaced by their digest, and
 * repeated strings shared. Same shape as the API object, so the common
 * package's rules read both; a field of another type than its CRD declares
 * is left out. Throws {@link UnreadableObjectError} for an object without a
 * valid name.
 */
export function slimObject(kind: ObjectKind, obj: KubeObject): KubeObject {
  const identity = objectIdentity(obj);
  if (!identity) {
    throw new UnreadableObjectError(
      'its metadata.name or metadata.namespace is missing or not a valid Kubernetes name',
    );
  }
  const metadata: Json = obj.metadata as unknown as Json;
  const annotations: Record<string, string> = {};
  const given = isJson(metadata.annotations) ? metadata.annotations : {};
  for (const key of KEPT_ANNOTATIONS) {
    const value = given[key];
    if (typeof value === 'string') annotations[key] = value;
  }
  // The same for every object a Release or HelmRelease owns: shared.
  // filter and map, not flatMap: map sizes the kept array exactly.
  const owners = share(
    entries(metadata.ownerReferences)
      .filter(
        o =>
          o.controller === true &&
          typeof o.apiVersion === 'string' &&
          typeof o.kind === 'string' &&
          typeof o.name === 'string' &&
          typeof o.uid === 'string',
      )
      .map(o => ({
        apiVersion: intern(o.apiVersion as string),
        kind: intern(o.kind as string),
        name: o.name as string,
        uid: o.uid as string,
        controller: true,
      })),
  );
  const labels =
    metadata.labels && LABELLED_KINDS.has(kind)
      ? stringMap(metadata.labels)
      : undefined;

  const source: Json | undefined = isJson(obj.spec) ? obj.spec : undefined;
  const spec = pick(source, SPEC_FIELDS[kind]) ?? {};
  if (source?.values !== undefined)
    spec.valuesDigest = valuesDigest(source.values);
  if (source?.parameters !== undefined)
    spec.parametersDigest = valuesDigest(source.parameters);

  const status: Json | undefined = isJson(obj.status) ? obj.status : undefined;
  const slimStatus = pick(status, STATUS_FIELDS) ?? {};
  // Shown in the drill-down; a timestamp nearly unique per object, so not interned.
  if (typeof status?.lastHandledReconcileAt === 'string') {
    slimStatus.lastHandledReconcileAt = status.lastHandledReconcileAt;
  }
  const revision = isJson(status?.artifact)
    ? str(status.artifact.revision)
    : undefined;
  if (revision) slimStatus.artifact = share({ revision });
  if (status?.conditions !== undefined) {
    slimStatus.conditions = boundedConditions(entries(status.conditions)).map(
      c => ({
        type: str(c.type),
        status: str(c.status),
        reason: str(c.reason),
        message:
          typeof c.message === 'string'
            ? str(clipText(c.message, MAX_CONDITION_MESSAGE))
            : undefined,
        lastTransitionTime: str(c.lastTransitionTime),
        observedGeneration: num(c.observedGeneration),
      }),
    );
  }
  // The journal times a version by the history entry that deployed or
  // first applied it; the drill-down reads the rest from the cluster.
  if (status?.history !== undefined && kind === 'HelmRelease') {
    slimStatus.history = entries(status.history).map(h =>
      share({
        chartName: str(h.chartName),
        chartVersion: str(h.chartVersion),
        configDigest: str(h.configDigest),
        status: str(h.status),
        version: num(h.version),
        lastDeployed: own(h.lastDeployed),
      }),
    );
  }
  if (status?.history !== undefined && kind === 'Kustomization') {
    slimStatus.history = entries(status.history).map(h => {
      const applied = isJson(h.metadata) ? str(h.metadata.revision) : undefined;
      return {
        ...(applied !== undefined ? { metadata: { revision: applied } } : {}),
        digest: own(h.digest),
        firstReconciled: own(h.firstReconciled),
        lastReconciledStatus: str(h.lastReconciledStatus),
      };
    });
  }
  if (isJson(status?.helmReleaseStates)) {
    // The chain walk reads the module names; the messages stay in the cluster.
    slimStatus.helmReleaseStates = share(
      Object.fromEntries(
        Object.entries(status.helmReleaseStates).map(([module, state]) => [
          module,
          { ready: isJson(state) ? str(state.ready) : undefined },
        ]),
      ),
    );
  }

  return {
    apiVersion: str(obj.apiVersion),
    kind: str(obj.kind),
    metadata: {
      name: identity.name,
      namespace: intern(identity.namespace),
      uid: own(metadata.uid),
      generation: num(metadata.generation),
      ...(labels ? { labels } : {}),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ...(owners.length ? { ownerReferences: owners } : {}),
    },
    spec: share(spec),
    ...(status ? { status: slimStatus as KubeObject['status'] } : {}),
  };
}
