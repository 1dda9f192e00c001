import fs from 'node:fs';
import path from 'node:path';
import { asAdmin, ClusterAccess } from './auth';
import { readYamlObjects } from './fixtures';
import {
  KubeApiError,
  KubeRest,
  mapConcurrent,
  withKubeRest,
} from './kubeRest';
import { PACKAGE_DIR } from './paths';

/** The CRD manifests of this package. */
export const CRD_DIR = path.join(PACKAGE_DIR, 'crds');

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

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

/** crds/*.yaml: the seven kinds at the versions current Flux/KuboCD serve. */
export function defaultCrdFiles(): string[] {
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
export async function waitUntilServed(client: KubeRest, timeoutMs: number) {
  const crds = await client.request('GET', CRDS);
  const paths = crds.items.flatMap((crd: any) =>
    crd.spec.versions
      .filter((v: any) => v.served)
      .map(
        (v: any) =>
          `/apis/${crd.spec.group}/${v.name}/${crd.spec.names.plural}?limit=1`,
      ),
  );
  await mapConcurrent(paths, 16, (listPath: string) =>
    poll(`${listPath} not served`, timeoutMs, async () => {
      try {
        await client.request('GET', listPath);
        return undefined;
      } catch (error) {
        if (
          error instanceof KubeApiError &&
          (error.status === 429 || error.status === 404)
        ) {
          return error.message;
        }
        throw error;
      }
    }),
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
  const crds = files.flatMap(file => readYamlObjects(file));
  await withKubeRest(asAdmin(access), async client => {
    await mapConcurrent(crds, 16, async crd => {
      const crdPath = `${CRDS}/${crd.metadata.name}`;
      try {
        await client.request('POST', CRDS, crd);
      } catch (error) {
        if (!(error instanceof KubeApiError && error.status === 409)) {
          throw error;
        }
        const live = await client.request('GET', crdPath);
        await client.request('PUT', crdPath, {
          ...crd,
          metadata: {
            ...crd.metadata,
            resourceVersion: live.metadata.resourceVersion,
          },
        });
      }
      await poll(
        `CRD ${crd.metadata.name} not Established on ${access.name}`,
        timeoutMs,
        async () => {
          const live = await client.request('GET', crdPath);
          const established = live.status?.conditions?.some(
            (c: any) => c.type === 'Established' && c.status === 'True',
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
