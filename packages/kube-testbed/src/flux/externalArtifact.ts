import { asAdmin, ClusterAccess } from '../auth';
import { KubeObject, statusOf, withKubeClient } from '../kubeClient';
import { Files, sha256, tarGz } from './archives';
import { ObjectStorage } from './objectStorage';

const EXTERNAL_ARTIFACT = 'source.toolkit.fluxcd.io/v1';

/**
 * Plays an artifact generator (Flux's source-watcher ArtifactGenerator,
 * which the Go module proxy does not serve): packs `files` as a Flux
 * artifact, serves it from the object storage, and creates or updates the
 * ExternalArtifact with a status pointing at it — the one part of the
 * ExternalArtifact API a generator, not source-controller, writes. What
 * consumes it (kustomize-controller, helm-controller) is real.
 */
export async function publishExternalArtifact(
  cluster: ClusterAccess,
  storage: ObjectStorage,
  artifact: {
    namespace: string;
    name: string;
    files: Files;
    /** The revision before `@sha256:…` (default `latest`). */
    revision?: string;
  },
): Promise<KubeObject> {
  const { namespace, name } = artifact;
  const data = tarGz(artifact.files);
  const digest = `sha256:${sha256(data)}`;
  const path = `externalartifact/${namespace}/${name}/${sha256(data)}.tar.gz`;
  storage.putObjects(`artifacts-${namespace}-${name}`, { [path]: data });
  const ref = {
    apiVersion: EXTERNAL_ARTIFACT,
    kind: 'ExternalArtifact',
    namespace,
    name,
  };
  return withKubeClient(asAdmin(cluster), async client => {
    let live: KubeObject;
    try {
      live = await client.read(ref);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      live = await client.create({
        apiVersion: EXTERNAL_ARTIFACT,
        kind: 'ExternalArtifact',
        metadata: { namespace, name },
        spec: {
          sourceRef: {
            apiVersion: 'source.extensions.fluxcd.io/v1beta1',
            kind: 'ArtifactGenerator',
            name,
          },
        },
      });
    }
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const revision = `${artifact.revision ?? 'latest'}@${digest}`;
    return client.patchStatus(ref, {
      observedGeneration: live.metadata.generation,
      artifact: {
        path,
        url: storage.objectUrl(`artifacts-${namespace}-${name}`, path),
        revision,
        digest,
        lastUpdateTime: now,
        size: data.length,
      },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Succeeded',
          message: `stored artifact for revision '${revision}'`,
          observedGeneration: live.metadata.generation,
          lastTransitionTime: now,
        },
      ],
    });
  });
}
