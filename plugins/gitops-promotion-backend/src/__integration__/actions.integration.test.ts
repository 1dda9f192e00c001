/*
 * Reconcile, suspend and resume against a real API server: kube-apiserver
 * accepts the merge patches the backend sends to the CRDs, they land in the
 * fields the Flux and KuboCD controllers read, the watch brings the result
 * back into the view, and a service account without patch is told what to
 * grant. One control plane seeded with the demo's staging-eu cluster (Flux
 * objects as created on Flux's own CRDs, the KuboCD Release with its
 * phase).
 */
import request from 'supertest';
import { TestBackend } from '@backstage/backend-test-utils';
import {
  ObjectKind,
  ObjectRef as ViewObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import {
  asAdmin,
  ControlPlane,
  installCrds,
  KubeClient,
  apiRefOf,
  seedFixtures,
  startControlPlane,
  TESTBED_USERS,
  TestbedTokens,
} from '@internal/kube-testbed';
import {
  auditRequest,
  clusterCell,
  component,
  fixtures,
  requireBinaries,
  startBackend,
  stopAll,
  TIMEOUT_MS,
  waitForView,
} from './__testUtils__/harness';

jest.setTimeout(TIMEOUT_MS);

const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';
const PAYMENTS = 'HelmRelease/payments-api';
const PODINFO = 'Release/podinfo';

const ENTITIES = [
  component('podinfo', { 'gitops-promotion/kubocd-releases': 'apps/podinfo' }),
  component('payments-api', {
    'gitops-promotion/helm-releases': 'payments/payments-api',
  }),
];

/** An object as the plugin names it (the route), and as the Kubernetes API does (the testbed's client). */
function target(
  apiVersion: string,
  kind: ObjectKind,
  plural: string,
  namespace: string,
  name: string,
) {
  const [group, version] = apiVersion.split('/');
  const body: ViewObjectRef = {
    cluster: 'staging',
    kind,
    group,
    version,
    plural,
    namespace,
    name,
  };
  return { body, ref: apiRefOf(body) };
}

const HELM_RELEASE = target(
  'helm.toolkit.fluxcd.io/v2',
  'HelmRelease',
  'helmreleases',
  'payments',
  'payments-api',
);
const OCI_REPOSITORY = target(
  'source.toolkit.fluxcd.io/v1',
  'OCIRepository',
  'ocirepositories',
  'apps',
  'kcd-podinfo',
);
const SHARED_SOURCE = target(
  'source.toolkit.fluxcd.io/v1',
  'HelmRepository',
  'helmrepositories',
  'flux-system',
  'payments-charts',
);
const RELEASE = target(
  'kubocd.kubotal.io/v1alpha1',
  'Release',
  'releases',
  'apps',
  'podinfo',
);

const act = (
  backend: TestBackend,
  entity: string,
  action: string,
  ref: Omit<ViewObjectRef, 'kind'>,
) =>
  request(backend.server).post(
    `/api/gitops-promotion/v1/entities/default/component/${entity}/objects/${ref.cluster}/${ref.group}/${ref.version}/${ref.plural}/${ref.namespace}/${ref.name}/actions/${action}`,
  );

/** A backend reading the control plane as `as`, once payments-api is in its view. */
async function startSynced(
  cp: ControlPlane,
  as: keyof TestbedTokens,
): Promise<TestBackend> {
  const backend = await startBackend({
    environments: [{ name: 'staging', clusters: [{ cp, as }] }],
    entities: ENTITIES,
  });
  await waitForView(backend, 'payments-api', v => {
    clusterCell(v, PAYMENTS, 'staging');
  });
  return backend;
}

describe('actions against a real API server', () => {
  let cp: ControlPlane | undefined;
  let admin: KubeClient | undefined;

  beforeAll(async () => {
    requireBinaries();
    cp = await startControlPlane({ name: 'staging', audit: true });
    await installCrds(cp);
    await seedFixtures(cp, fixtures('staging-eu'));
    admin = new KubeClient(asAdmin(cp));
  });

  afterAll(async () => {
    await stopAll(
      () => admin?.close(),
      () => cp?.stop(),
    );
  });

  describe('as a service account with patch (testbed-operator)', () => {
    let backend: TestBackend | undefined;

    beforeAll(async () => {
      backend = await startSynced(cp!, 'operator');
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('suspends a HelmRelease with spec.suspend and resumes it with a reconcile request', async () => {
      const original = await admin!.read(HELM_RELEASE.ref);
      const suspend = await act(
        backend!,
        'payments-api',
        'suspend',
        HELM_RELEASE.body,
      );
      expect(suspend.status).toBe(202);
      expect(suspend.body.message).toBe(
        'Suspended HelmRelease payments/payments-api in cluster staging.',
      );
      expect((await admin!.read(HELM_RELEASE.ref)).spec?.suspend).toBe(true);
      await waitForView(backend!, 'payments-api', v =>
        expect(clusterCell(v, PAYMENTS, 'staging')).toMatchObject({
          state: 'Suspended',
        }),
      );

      const before = Date.now();
      const resume = await act(
        backend!,
        'payments-api',
        'resume',
        HELM_RELEASE.body,
      );
      expect(resume.status).toBe(202);
      const resumed = await admin!.read(HELM_RELEASE.ref);
      expect(resumed.spec?.suspend).toBe(false);
      // The rest of the spec is untouched: a merge patch, not a replace.
      expect({ ...resumed.spec, suspend: undefined }).toEqual({
        ...original.spec,
        suspend: undefined,
      });
      const requestedAt = Date.parse(
        resumed.metadata.annotations?.[REQUESTED_AT] ?? '',
      );
      expect(requestedAt).toBeGreaterThanOrEqual(before - 1000);
      // Each spec patch is a new generation (the annotation is not). No
      // helm-controller runs here (the HelmRelease was seeded without
      // status): resumed, the view is back to waiting for it.
      expect(resumed.metadata.generation).toBe(
        original.metadata.generation! + 2,
      );
      await waitForView(backend!, 'payments-api', v =>
        expect(clusterCell(v, PAYMENTS, 'staging')).toMatchObject({
          state: 'Progressing',
          reason: 'NewGeneration',
        }),
      );
    });

    it('requests a reconcile of a Release’s OCIRepository as `flux reconcile source oci` does', async () => {
      const before = await admin!.read(OCI_REPOSITORY.ref);
      // The seeded object carries a past request already: the new one replaces it.
      const previous = before.metadata.annotations?.[REQUESTED_AT];
      expect(previous).toBeDefined();
      const started = Date.now();
      const reconcile = await act(
        backend!,
        'podinfo',
        'reconcile',
        OCI_REPOSITORY.body,
      );
      expect(reconcile.status).toBe(202);
      expect(reconcile.body.message).toBe(
        'Requested a reconcile of OCIRepository apps/kcd-podinfo in cluster staging.',
      );
      const after = await admin!.read(OCI_REPOSITORY.ref);
      const requested = after.metadata.annotations?.[REQUESTED_AT];
      expect(requested).not.toBe(previous);
      expect(Date.parse(requested ?? '')).toBeGreaterThanOrEqual(
        started - 1000,
      );
      expect(after.spec).toEqual(before.spec);
      expect(after.metadata.generation).toBe(before.metadata.generation);
      expect(after.status).toEqual(before.status);
      expect(
        cp!
          .auditEvents()
          .filter(e => e.user.username === TESTBED_USERS.operator)
          .map(auditRequest)
          .filter(r => r.verb === 'patch' && r.stage === 'ResponseComplete')
          .map(r => `${r.resource} ${r.code}`),
      ).toContain('ocirepositories 200');
    });

    it('refuses to suspend a source shared with other workloads: no patch reaches the API server', async () => {
      const before = await admin!.read(SHARED_SOURCE.ref);
      const suspend = await act(
        backend!,
        'payments-api',
        'suspend',
        SHARED_SOURCE.body,
      );
      expect(suspend.status).toBe(403);
      expect(suspend.body.error.message).toContain(
        'Suspend acts only on the workload (HelmRelease payments/payments-api',
      );
      expect(
        (await admin!.read(SHARED_SOURCE.ref)).metadata.resourceVersion,
      ).toBe(before.metadata.resourceVersion);
      expect(
        cp!
          .auditEvents()
          .filter(e => e.user.username === TESTBED_USERS.operator)
          .map(auditRequest)
          .filter(r => r.verb === 'patch' && r.resource === 'helmrepositories'),
      ).toEqual([]);
    });

    it('suspends a KuboCD Release with spec.suspended', async () => {
      const suspend = await act(backend!, 'podinfo', 'suspend', RELEASE.body);
      expect(suspend.status).toBe(202);
      expect((await admin!.read(RELEASE.ref)).spec?.suspended).toBe(true);
      await waitForView(backend!, 'podinfo', v =>
        expect(clusterCell(v, PODINFO, 'staging').state).toBe('Suspended'),
      );
      expect(
        (await act(backend!, 'podinfo', 'resume', RELEASE.body)).status,
      ).toBe(202);
      expect((await admin!.read(RELEASE.ref)).spec?.suspended).toBe(false);
      await waitForView(backend!, 'podinfo', v =>
        expect(clusterCell(v, PODINFO, 'staging').state).not.toBe('Suspended'),
      );
    });
  });

  describe('as a read-only service account (testbed-reader)', () => {
    let backend: TestBackend | undefined;

    beforeAll(async () => {
      backend = await startSynced(cp!, 'reader');
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('says the cluster forbids the patch and what to grant; the object is unchanged', async () => {
      const before = await admin!.read(HELM_RELEASE.ref);
      const suspend = await act(
        backend!,
        'payments-api',
        'suspend',
        HELM_RELEASE.body,
      );
      expect(suspend.status).toBe(503);
      expect(suspend.body.error.message).toMatch(
        /^FORBIDDEN: Cluster staging forbids patch helmreleases\.helm\.toolkit\.fluxcd\.io\/v2 payments\/payments-api \(403\): grant the service account patch on it/,
      );
      // The API server's words name the user: the backend logs them, the
      // caller gets the plugin's own.
      expect(JSON.stringify(suspend.body)).not.toContain(TESTBED_USERS.reader);
      expect(
        (await admin!.read(HELM_RELEASE.ref)).metadata.resourceVersion,
      ).toBe(before.metadata.resourceVersion);
    });
  });
});
