import { ClusterPlan, PlannedObject } from './objects';
import { mapConcurrent } from '@internal/kube-testbed';
import {
  collectionPath,
  KubeHttp,
  KubeHttpError,
  KubeHttpTarget,
} from './kubeHttp';

/** What seeding one cluster took. */
export interface SeedResult {
  objects: number;
  requests: number;
  ms: number;
}

/**
 * Creates a cluster's planned objects as controllers would leave them: each
 * object without status (create), then its status through the /status
 * subresource (merge patch), `concurrency` objects in flight on one
 * keep-alive agent. Releases first: their children get the live uid in
 * their ownerReferences.
 */
export async function seedCluster(
  target: KubeHttpTarget,
  plan: ClusterPlan,
  concurrency = 12,
): Promise<SeedResult> {
  const started = Date.now();
  const client = new KubeHttp(target, concurrency);
  let requests = 0;
  try {
    await mapConcurrent(plan.namespaces, concurrency, async name => {
      requests++;
      try {
        await client.request('POST', '/api/v1/namespaces', {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name },
        });
      } catch (e) {
        if (!(e instanceof KubeHttpError && e.status === 409)) throw e;
      }
    });
    const releaseUids = new Map<string, string>();
    const create = async (planned: PlannedObject) => {
      const { manifest, plural } = planned;
      const { status, ...body } = manifest;
      const { namespace, name } = manifest.metadata;
      if (planned.ownerRelease) {
        const uid = releaseUids.get(`${namespace}/${planned.ownerRelease}`);
        if (!uid) {
          throw new Error(
            `${manifest.kind} ${namespace}/${name}: owner Release ${planned.ownerRelease} was not created`,
          );
        }
        body.metadata = {
          ...body.metadata,
          ownerReferences: body.metadata.ownerReferences?.map(o => ({
            ...o,
            uid,
          })),
        };
      }
      const path = collectionPath(manifest.apiVersion, plural, namespace);
      requests++;
      const live = await client.request<{ metadata: { uid: string } }>(
        'POST',
        path,
        body,
      );
      if (manifest.kind === 'Release') {
        releaseUids.set(`${namespace}/${name}`, live.metadata.uid);
      }
      if (status) {
        requests++;
        await client.request(
          'PATCH',
          `${path}/${name}/status`,
          { status },
          'application/merge-patch+json',
        );
      }
    };
    const owners = plan.objects.filter(o => !o.ownerRelease);
    const owned = plan.objects.filter(o => o.ownerRelease);
    await mapConcurrent(owners, concurrency, create);
    await mapConcurrent(owned, concurrency, create);
  } finally {
    client.close();
  }
  return { objects: plan.objects.length, requests, ms: Date.now() - started };
}
