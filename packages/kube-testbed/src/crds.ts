import fs from 'node:fs';
import path from 'node:path';
import {
  loadAllYaml,
  V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { asAdmin, ClusterAccess } from './auth';
import {
  describeError,
  KubeClient,
  mapConcurrent,
  statusOf,
  withKubeClient,
} from './kubeClient';
import { CRD_DIR } from './paths';
import { fluxCrdFiles } from './flux/controllers';

/** Flux < 2.3 variants (beta versions only) for the beta-fallback tests. */
export const LEGACY_CRDS = {
  kustomizationV1beta2Only: path.join(
    CRD_DIR,
    'legacy',
    'kustomization-v1beta2-only.yaml',
  ),
  helmReleaseV2beta2Only: path.join(
    CRD_DIR,
    'legacy',
    'helmrelease-v2beta2-only.yaml',
  ),
};

/**
 * The CRDs tests install: the Flux controllers' own (from the release
 * modules scripts/flux/build.sh fetches, as Flux 2.8 serves them, with
 * their validation and defaults: a new object's status is
 * `observedGeneration: -1`) and the KuboCD Release CRD.
 */
export function defaultCrdFiles(): string[] {
  return fluxCrdFiles();
}

/**
 * crds/*.yaml: schemas written for this project that keep every field
 * (`x-kubernetes-preserve-unknown-fields`), for fleets whose statuses are
 * written by hand rather than by controllers: the benchmark's and the
 * seeded demo's (`up --clusters`).
 */
export function seededCrdFiles(): string[] {
  return fs
    .readdirSync(CRD_DIR)
    .filter(file => file.endsWith('.yaml'))
    .map(file => path.join(CRD_DIR, file));
}

async function poll(
  what: string,
  timeoutMs: number,
  check: () => Promise<string | undefined>,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const problem = await check();
    if (problem === undefined) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `kube-testbed: ${what} after ${timeoutMs} ms: ${problem}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

/**
 * Waits until every served version of every installed CRD answers a list.
 * A CRD is Established before its storage is: in between, and after an
 * apiserver restart, lists and watches answer 429 "storage is
 * (re)initializing" (404 for a moment right after creation).
 */
export async function waitUntilServed(client: KubeClient, timeoutMs: number) {
  const crds = await client.extensions.listCustomResourceDefinition();
  const resources = crds.items.flatMap(crd =>
    crd.spec.versions
      .filter(v => v.served)
      .map(v => ({
        group: crd.spec.group,
        version: v.name,
        plural: crd.spec.names.plural,
      })),
  );
  await mapConcurrent(resources, 16, resource =>
    poll(
      `${resource.plural}.${resource.group}/${resource.version} not served`,
      timeoutMs,
      async () => {
        try {
          await client.custom.listClusterCustomObject({
            ...resource,
            limit: 1,
          });
          return undefined;
        } catch (error) {
          if (statusOf(error) === 429 || statusOf(error) === 404) {
            return describeError(error);
          }
          throw error;
        }
      },
    ),
  );
}

/**
 * Creates (or updates) the CRDs of the given files, then waits until they
 * are Established and their resources answer lists, like a cluster where
 * Flux was installed long ago. Installing a legacy file over a CRD that
 * already stored a newer version fails: use a fresh control plane for those.
 */
export async function installCrds(
  access: ClusterAccess,
  files: string[] = defaultCrdFiles(),
  timeoutMs = 30_000,
): Promise<void> {
  // client-node's typed loader, not parseKubectlYaml: ApiextensionsV1Api
  // serializes its model (xKubernetesPreserveUnknownFields, _default, ...)
  // and would drop plain YAML keys such as x-kubernetes-preserve-unknown-fields.
  const crds = files.flatMap(
    file =>
      loadAllYaml(
        fs.readFileSync(file, 'utf8'),
      ) as V1CustomResourceDefinition[],
  );
  await withKubeClient(asAdmin(access), async client => {
    await mapConcurrent(crds, 16, async crd => {
      const name = crd.metadata!.name!;
      try {
        await client.extensions.createCustomResourceDefinition({ body: crd });
      } catch (error) {
        if (statusOf(error) !== 409) {
          throw error;
        }
        const live = await client.extensions.readCustomResourceDefinition({
          name,
        });
        await client.extensions.replaceCustomResourceDefinition({
          name,
          body: {
            ...crd,
            metadata: {
              ...crd.metadata,
              resourceVersion: live.metadata?.resourceVersion,
            },
          },
        });
      }
      await poll(
        `CRD ${name} not Established on ${access.name}`,
        timeoutMs,
        async () => {
          const live = await client.extensions.readCustomResourceDefinition({
            name,
          });
          const established = live.status?.conditions?.some(
            c => c.type === 'Established' && c.status === 'True',
          );
          return established
            ? undefined
            : JSON.stringify(live.status?.conditions ?? []);
        },
      );
    });
    await waitUntilServed(client, timeoutMs);
  });
}

// A printer column shown only by `kubectl get -o wide`: expireWatches adds
// or removes it to change the CRD's spec and nothing a client reads.
const EPOCH_COLUMN = {
  name: 'Testbed-Epoch',
  type: 'integer',
  jsonPath: '.metadata.generation',
  priority: 1,
};

/**
 * Ends every open watch of the cluster’s custom resources and expires every
 * resourceVersion issued so far, without a restart: a change to a CRD's spec
 * makes kube-apiserver rebuild that resource's storage. Open watches end
 * cleanly about a second later, and a watch resumed from an earlier
 * resourceVersion answers an ERROR event with code 410 "too old resource
 * version" (HTTP 200), the way an informer meets an expired watch. Returns
 * once the resources answer lists again.
 */
export async function expireWatches(
  access: ClusterAccess,
  timeoutMs = 30_000,
): Promise<void> {
  await withKubeClient(asAdmin(access), async client => {
    const crds = await client.extensions.listCustomResourceDefinition();
    await mapConcurrent(crds.items, 16, crd =>
      toggleEpoch(client, crd.metadata!.name!),
    );
    await waitUntilServed(client, timeoutMs);
  });
}

/** Adds or removes the epoch column of every version of a CRD (retries a 409). */
async function toggleEpoch(client: KubeClient, name: string) {
  for (let attempt = 1; ; attempt++) {
    const crd = await client.extensions.readCustomResourceDefinition({ name });
    for (const version of crd.spec.versions) {
      const columns = version.additionalPrinterColumns ?? [];
      version.additionalPrinterColumns = columns.some(
        c => c.name === EPOCH_COLUMN.name,
      )
        ? columns.filter(c => c.name !== EPOCH_COLUMN.name)
        : [...columns, EPOCH_COLUMN];
    }
    try {
      await client.extensions.replaceCustomResourceDefinition({
        name,
        body: crd,
      });
      return;
    } catch (error) {
      if (statusOf(error) !== 409 || attempt >= 5) {
        throw error;
      }
    }
  }
}
