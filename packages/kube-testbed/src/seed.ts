import { asAdmin, ClusterAccess } from './auth';
import { readFixtureObjects } from './fixtures';
import {
  describeError,
  KubeClient,
  KubeObject,
  mapConcurrent,
  ObjectRef,
  statusOf,
  withKubeClient,
} from './kubeClient';

/** apiVersion of each kind as the dashboard reads it. */
export const API_VERSIONS = {
  GitRepository: 'source.toolkit.fluxcd.io/v1',
  OCIRepository: 'source.toolkit.fluxcd.io/v1',
  HelmRepository: 'source.toolkit.fluxcd.io/v1',
  HelmChart: 'source.toolkit.fluxcd.io/v1',
  Kustomization: 'kustomize.toolkit.fluxcd.io/v1',
  HelmRelease: 'helm.toolkit.fluxcd.io/v2',
  Release: 'kubocd.kubotal.io/v1alpha1',
} as const;

const CONCURRENCY = 16;

const withAdmin = <T>(
  access: ClusterAccess,
  fn: (client: KubeClient) => Promise<T>,
) => withKubeClient(asAdmin(access), fn);

const refOf = (object: KubeObject): ObjectRef => ({
  apiVersion: object.apiVersion,
  kind: object.kind,
  namespace: object.metadata.namespace,
  name: object.metadata.name,
});

const describeRef = (ref: ObjectRef) =>
  `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;

const ownerKey = (kind: string, namespace: string | undefined, name: string) =>
  `${kind}/${namespace ?? ''}/${name}`;

// A spec field set at create (generation 1) and removed right after: the
// removal takes the live generation to 2, so a stale status can say 1.
const GENERATION_MARKER = 'kubeTestbedGenerationBump';

function observedGenerations(status: Record<string, any> | undefined) {
  return [
    status?.observedGeneration,
    ...(Array.isArray(status?.conditions)
      ? status!.conditions.map((c: any) => c?.observedGeneration)
      : []),
  ].filter((g): g is number => typeof g === 'number');
}

/**
 * Rewrites observedGeneration (top level and per condition) for the live
 * object: up to date in the fixture (= its generation) → the live generation;
 * behind → one below the live generation.
 */
function rewriteGenerations(
  status: Record<string, any>,
  fixtureGeneration: number,
  liveGeneration: number,
) {
  const map = (g: unknown) => {
    if (typeof g !== 'number') {
      return g;
    }
    return g >= fixtureGeneration ? liveGeneration : liveGeneration - 1;
  };
  const result = { ...status };
  if ('observedGeneration' in status) {
    result.observedGeneration = map(status.observedGeneration);
  }
  if (Array.isArray(status.conditions)) {
    result.conditions = status.conditions.map((c: any) =>
      c && 'observedGeneration' in c
        ? { ...c, observedGeneration: map(c.observedGeneration) }
        : c,
    );
  }
  return result;
}

/** What create accepts: no server-set metadata, no status, live owner uids. */
function forCreate(object: KubeObject, liveUids: Map<string, string>) {
  const {
    resourceVersion,
    uid,
    managedFields,
    creationTimestamp,
    generation,
    selfLink,
    deletionTimestamp,
    deletionGracePeriodSeconds,
    ...metadata
  } = object.metadata;
  const { status, ...rest } = object;
  const body: KubeObject = { ...rest, metadata };
  const namespace = object.metadata.namespace;
  if (metadata.ownerReferences) {
    metadata.ownerReferences = metadata.ownerReferences.map(owner => ({
      ...owner,
      uid:
        liveUids.get(ownerKey(owner.kind, namespace, owner.name)) ?? owner.uid,
    }));
  }
  const involved = (object as any).involvedObject;
  if (object.kind === 'Event' && involved) {
    const { resourceVersion: _rv, ...target } = involved;
    target.uid =
      liveUids.get(ownerKey(target.kind, target.namespace, target.name)) ??
      target.uid;
    (body as any).involvedObject = target;
  }
  return body;
}

async function createObject(
  client: KubeClient,
  object: KubeObject,
  liveUids: Map<string, string>,
) {
  const ref = refOf(object);
  try {
    const body = forCreate(object, liveUids);
    const fixtureGeneration = object.metadata.generation;
    const stale =
      typeof fixtureGeneration === 'number' &&
      body.spec !== undefined &&
      observedGenerations(object.status).some(g => g < fixtureGeneration);
    if (stale) {
      body.spec = { ...body.spec, [GENERATION_MARKER]: true };
    }
    let live = await client.create(body);
    if (stale) {
      live = await client.mergePatch(ref, {
        spec: { [GENERATION_MARKER]: null },
      });
    }
    liveUids.set(
      ownerKey(ref.kind, ref.namespace, ref.name),
      live.metadata.uid!,
    );
    if (
      object.status &&
      (await client.hasStatusSubresource(ref.apiVersion, ref.kind))
    ) {
      const status =
        typeof fixtureGeneration === 'number'
          ? rewriteGenerations(
              object.status,
              fixtureGeneration,
              live.metadata.generation ?? 1,
            )
          : object.status;
      await client.patchStatus(ref, status);
    }
  } catch (error) {
    throw new Error(
      `kube-testbed: cannot create ${describeRef(ref)}: ${describeError(
        error,
      )}`,
      { cause: error },
    );
  }
}

/** How `applyObjects` and `seedFixtures` treat the statuses in the objects. */
export interface SeedOptions {
  /**
   * Also write the statuses of Flux objects (`*.toolkit.fluxcd.io`), as the
   * fixtures have them. Default false: Flux objects are created without
   * status, as before their controller's first reconcile; what Flux writes
   * is tested against the real controllers. KuboCD Release statuses are
   * always written (its controller is not available to the testbed). True
   * for the seeded demo (`cli.ts up --clusters`), which runs no controller.
   */
  fluxStatus?: boolean;
}

const isFluxObject = (object: KubeObject) =>
  object.apiVersion.split('/')[0].endsWith('.toolkit.fluxcd.io');

/**
 * Creates objects as a controller would leave them: each without status,
 * then its status through the /status subresource (a Flux object's only
 * with `fluxStatus`). Namespaces are created as needed, owners before the
 * objects they own (ownerReferences and event involvedObject uids are
 * rewritten to the live ones), events last.
 */
export async function applyObjects(
  access: ClusterAccess,
  given: KubeObject[],
  options: SeedOptions = {},
): Promise<void> {
  const objects = options.fluxStatus
    ? given
    : given.map(o => {
        if (!isFluxObject(o) || o.status === undefined) {
          return o;
        }
        const { status, ...withoutStatus } = o;
        return withoutStatus;
      });
  await withAdmin(access, async client => {
    const namespaces = new Set(
      objects.flatMap(o =>
        o.metadata.namespace ? [o.metadata.namespace] : [],
      ),
    );
    const declared = objects.filter(o => o.kind === 'Namespace');
    for (const ns of declared) {
      namespaces.delete(ns.metadata.name);
    }
    await mapConcurrent(
      [
        ...declared,
        ...[...namespaces].map(name => ({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name },
        })),
      ],
      CONCURRENCY,
      ns => createNamespace(client, ns),
    );

    const liveUids = new Map<string, string>();
    const inFixtures = new Set(
      objects.map(o => ownerKey(o.kind, o.metadata.namespace, o.metadata.name)),
    );
    let pending = objects.filter(o => o.kind !== 'Namespace');
    while (pending.length > 0) {
      const ready = pending.filter(
        o =>
          o.kind !== 'Event' &&
          (o.metadata.ownerReferences ?? []).every(owner => {
            const key = ownerKey(owner.kind, o.metadata.namespace, owner.name);
            return !inFixtures.has(key) || liveUids.has(key);
          }),
      );
      // Only events (or an ownership cycle) left: create the rest.
      const wave = ready.length > 0 ? ready : pending;
      await mapConcurrent(wave, CONCURRENCY, o =>
        createObject(client, o, liveUids),
      );
      pending = pending.filter(o => !wave.includes(o));
    }
  });
}

async function createNamespace(client: KubeClient, namespace: KubeObject) {
  try {
    await client.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: namespace.metadata.name,
        labels: namespace.metadata.labels,
        annotations: namespace.metadata.annotations,
      },
    });
  } catch (error) {
    if (statusOf(error) !== 409) {
      throw error;
    }
  }
}

/**
 * Applies a fixture folder (examples/clusters/<cluster>) to a control plane:
 * Flux objects without their status unless `fluxStatus` (SeedOptions).
 */
export async function seedFixtures(
  access: ClusterAccess,
  dir: string,
  options: SeedOptions = {},
): Promise<{ objects: number }> {
  const objects = readFixtureObjects(dir);
  await applyObjects(access, objects, options);
  return { objects: objects.length };
}

/** Merge-patches part of an object's status, as a controller does. */
export async function patchStatus(
  access: ClusterAccess,
  ref: ObjectRef,
  status: Record<string, unknown>,
): Promise<KubeObject> {
  return withAdmin(access, client => client.patchStatus(ref, status));
}

/**
 * Creates `count` KuboCD Releases named <prefix>-00001... in one namespace
 * (created if missing), many requests in flight at once, each with the
 * given labels; with `status`, each also gets that status. Returns the names.
 */
export async function createMany(
  access: ClusterAccess,
  options: {
    namespace: string;
    count: number;
    prefix?: string;
    labels?: Record<string, string>;
    status?: Record<string, unknown>;
  },
): Promise<string[]> {
  const prefix = options.prefix ?? 'bulk';
  const names = Array.from(
    { length: options.count },
    (_, i) => `${prefix}-${String(i + 1).padStart(5, '0')}`,
  );
  await withAdmin(access, async client => {
    await createNamespace(client, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: options.namespace },
    });
    await mapConcurrent(names, CONCURRENCY, async name => {
      const release = await client.create({
        apiVersion: API_VERSIONS.Release,
        kind: 'Release',
        metadata: {
          name,
          namespace: options.namespace,
          labels: options.labels,
        },
        spec: {
          description: `bulk release ${name}`,
          package: {
            repository: 'quay.io/kubodoc/packages/podinfo',
            tag: '6.7.1-p01',
          },
        },
      });
      if (options.status) {
        await client.patchStatus(refOf(release), options.status);
      }
    });
  });
  return names;
}
