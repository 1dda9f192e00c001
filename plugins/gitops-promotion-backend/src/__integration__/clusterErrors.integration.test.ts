/*
 * Per-kind errors from real API servers: RBAC that forbids one kind (or
 * grants list without watch), a CRD that is not installed, and a cluster whose Flux only serves a beta
 * version. Each error must name its cluster and kind, leave the other
 * kinds' data in the view, reach only the views that read that kind, and
 * carry the plugin's own words, not the server's. Three control planes, each wrong in one way,
 * seeded with the demo's staging-eu objects, behind one backend. No Flux
 * controller runs: the Flux objects are as created (what Flux writes is
 * tested in realFlux*), the KuboCD Release has its phase.
 */
import path from 'node:path';
import { TestBackend } from '@backstage/backend-test-utils';
import {
  ClusterError,
  LINK_REASONS,
  PromotionView,
} from '@gitops-promotion/backstage-plugin-common';
import {
  applyObjects,
  ControlPlane,
  defaultCrdFiles,
  installCrds,
  LEGACY_CRDS,
  readFixtureObjects,
  seedFixtures,
  startControlPlanes,
  TESTBED_USERS,
} from '@internal/kube-testbed';
import {
  clusterCell,
  component,
  envCell,
  fixtures,
  getView,
  requireBinaries,
  startBackend,
  stopAll,
  TIMEOUT_MS,
  waitForView,
} from './__testUtils__/harness';

jest.setTimeout(TIMEOUT_MS);

const STAGING = fixtures('staging-eu');

const errorsOf = (view: PromotionView, cluster: string) =>
  view.clusterErrors
    .filter(e => e.cluster === cluster)
    .map(({ type, kind, degraded }: ClusterError) => ({
      type,
      kind,
      ...(degraded !== undefined && { degraded }),
    }));

describe('per-kind cluster errors from real API servers', () => {
  let restricted: ControlPlane | undefined;
  let noKubocd: ControlPlane | undefined;
  let legacy: ControlPlane | undefined;
  let backend: TestBackend | undefined;

  beforeAll(async () => {
    requireBinaries();
    [restricted, noKubocd, legacy] = await startControlPlanes([
      'restricted',
      'no-kubocd',
      'legacy',
    ]);
    const objects = readFixtureObjects(STAGING);
    await Promise.all([
      // All CRDs; the plugin reads it with the token that lacks helmrepositories.
      installCrds(restricted!).then(() => seedFixtures(restricted!, STAGING)),
      // Flux without KuboCD: no Release CRD, no Releases.
      installCrds(
        noKubocd!,
        defaultCrdFiles().filter(f => path.basename(f) !== 'release.yaml'),
      ).then(() =>
        applyObjects(
          noKubocd!,
          objects.filter(o => o.kind !== 'Release'),
        ),
      ),
      // Flux < 2.3: Kustomization served at v1beta2 only.
      installCrds(legacy!, [
        ...defaultCrdFiles().filter(
          f => !path.basename(f).includes('kustomization'),
        ),
        LEGACY_CRDS.kustomizationV1beta2Only,
      ]).then(() =>
        applyObjects(
          legacy!,
          objects.map(o =>
            o.kind === 'Kustomization'
              ? { ...o, apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2' }
              : o,
          ),
        ),
      ),
    ]);
    backend = await startBackend({
      environments: [
        {
          name: 'restricted',
          clusters: [{ cp: restricted!, as: 'restricted' }],
        },
        { name: 'no-kubocd', clusters: [{ cp: noKubocd! }] },
        { name: 'legacy', clusters: [{ cp: legacy! }] },
      ],
      entities: [
        component('podinfo', {
          'gitops-promotion/kubocd-releases': 'apps/podinfo',
        }),
        component('payments-api', {
          'gitops-promotion/helm-releases': 'payments/payments-api',
        }),
        component('inventory-service', {
          'gitops-promotion/kustomizations': 'flux-system/inventory-service',
        }),
      ],
    });
  });

  afterAll(async () => {
    await stopAll(
      () => backend?.stop(),
      [() => restricted?.stop(), () => noKubocd?.stop(), () => legacy?.stop()],
    );
  });

  it('reports FORBIDDEN for HelmRepository only and keeps serving the other kinds', async () => {
    // Discovery reports errors before the watchers have listed, and each
    // kind lists on its own: wait for the error and every allowed kind.
    // The HelmRelease and its HelmChart are read; the forbidden HelmRepository
    // is unreadable, not missing (a missing source would be the root cause),
    // and does not turn the cell red.
    const { view } = await waitForView(backend!, 'payments-api', v => {
      expect(errorsOf(v, 'restricted')).toEqual([
        { type: 'FORBIDDEN', kind: 'HelmRepository' },
      ]);
      const payments = clusterCell(v, 'HelmRelease/payments-api', 'restricted');
      expect(payments).toMatchObject({
        state: 'Progressing',
        rootCause: { ref: { kind: 'HelmChart' } },
      });
      expect(
        payments.chain.map(l => [l.ref.kind, l.found, l.classification.reason]),
      ).toEqual([
        ['HelmRelease', true, 'NewGeneration'],
        ['HelmRepository', false, LINK_REASONS.unreadable],
        ['HelmChart', true, 'NewGeneration'],
      ]);
    });
    // The API server names the user ("testbed-restricted") in its 403: that
    // goes to the backend's log; every viewer gets the plugin's own words.
    expect(
      view.clusterErrors.find(e => e.cluster === 'restricted')!.message,
    ).toBe(
      'Cluster restricted forbids list helmrepositories.source.toolkit.fluxcd.io/v1 (403): grant the service account get, list and watch on it.',
    );
    expect(JSON.stringify(view)).not.toContain('testbed-restricted');

    // A Release's chain has a HelmRepository too: unreadable there, the
    // rest of the chain read, the KuboCD phase shown.
    await waitForView(backend!, 'podinfo', v => {
      const podinfo = clusterCell(v, 'Release/podinfo', 'restricted');
      expect(podinfo).toMatchObject({
        state: 'Progressing',
        phase: 'WAIT_OCI',
        targetVersion: '6.7.1-p02',
        rootCause: { ref: { kind: 'OCIRepository' } },
      });
      expect(
        podinfo.chain.map(l => [l.ref.kind, l.found, l.classification.reason]),
      ).toEqual([
        ['Release', true, 'WAIT_OCI'],
        ['OCIRepository', true, 'NewGeneration'],
        ['HelmRepository', false, LINK_REASONS.unreadable],
        ['HelmRelease', true, 'NewGeneration'],
        ['HelmChart', true, 'NewGeneration'],
      ]);
    });
  });

  it('reports NOT_INSTALLED for Release when KuboCD is absent; Flux kinds are still served', async () => {
    await waitForView(backend!, 'podinfo', v => {
      expect(errorsOf(v, 'no-kubocd')).toEqual([
        { type: 'NOT_INSTALLED', kind: 'Release' },
      ]);
      // The row comes from the other clusters; here its state is unknown,
      // not "not deployed and fine".
      expect(envCell(v, 'Release/podinfo', 'no-kubocd')).toMatchObject({
        clusters: [],
        unavailableIn: ['no-kubocd'],
      });
    });

    const { view: payments } = await waitForView(backend!, 'payments-api', v =>
      expect(
        clusterCell(v, 'HelmRelease/payments-api', 'no-kubocd').chain.map(l => [
          l.ref.kind,
          l.found,
        ]),
      ).toEqual([
        ['HelmRelease', true],
        ['HelmRepository', true],
        ['HelmChart', true],
      ]),
    );
    // A HelmRelease's view reads no Release: KuboCD's absence is not its concern.
    expect(errorsOf(payments, 'no-kubocd')).toEqual([]);
  });

  it('falls back to Kustomization v1beta2 when v1 is not served, marked degraded', async () => {
    const { view } = await waitForView(backend!, 'inventory-service', v => {
      expect(errorsOf(v, 'legacy')).toEqual([
        {
          type: 'VERSION_NOT_SERVED',
          kind: 'Kustomization',
          degraded: true,
        },
      ]);
      expect(
        clusterCell(v, 'Kustomization/inventory-service', 'legacy').chain.map(
          l => [l.ref.kind, l.found],
        ),
      ).toEqual([
        ['Kustomization', true],
        ['GitRepository', true],
      ]);
    });
    const cell = clusterCell(view, 'Kustomization/inventory-service', 'legacy');
    // Degraded data is current data: not marked stale.
    expect(cell.staleSince).toBeUndefined();
    expect(cell.chain[0].ref).toMatchObject({
      kind: 'Kustomization',
      version: 'v1beta2',
    });
    // The spec as read at v1beta2.
    expect(cell.chain[0].facts).toEqual(
      expect.arrayContaining([
        {
          key: 'source',
          label: 'Source',
          value: 'GitRepository/inventory-service',
        },
        { key: 'path', label: 'Path', value: './deploy/staging' },
      ]),
    );
    expect(
      view.clusterErrors.find(e => e.cluster === 'legacy')!.message,
    ).toContain('v1beta2');
  });
  it('keeps reporting a kind the token may list but not watch, its data read, across relists', async () => {
    // RBAC as some portals grant it: get and list, no watch. Last in this
    // file: it changes what the restricted user may do.
    const name = 'list-helmrepositories';
    await applyObjects(restricted!, [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name },
        rules: [
          {
            apiGroups: ['source.toolkit.fluxcd.io'],
            resources: ['helmrepositories'],
            verbs: ['get', 'list'],
          },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name,
        },
        subjects: [
          {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'User',
            name: TESTBED_USERS.restricted,
          },
        ],
      },
    ]);
    const refused =
      'Cluster restricted forbids watch helmrepositories.source.toolkit.fluxcd.io/v1 (403): grant the service account get, list and watch on it.';
    const check = (v: PromotionView) => {
      expect(
        v.clusterErrors
          .filter(e => e.cluster === 'restricted')
          .map(e => [e.type, e.kind, e.message]),
      ).toEqual([['FORBIDDEN', 'HelmRepository', refused]]);
      expect(
        clusterCell(v, 'HelmRelease/payments-api', 'restricted').chain.map(
          l => [l.ref.kind, l.found],
        ),
      ).toEqual([
        ['HelmRelease', true],
        ['HelmRepository', true],
        ['HelmChart', true],
      ]);
    };
    await waitForView(backend!, 'payments-api', check);
    // The watcher relists every maxBackoff (2 s here): across three of
    // them the error stays, instead of clearing after each list.
    const until = Date.now() + 7000;
    while (Date.now() < until) {
      check(await getView(backend!, 'payments-api'));
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  });
});
