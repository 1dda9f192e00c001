/*
 * KuboCD Releases promoted across three environments, one control plane
 * each, with real Flux: source-controller pulls the packages from an OCI
 * registry on 127.0.0.1 and helm-controller installs their charts. The
 * testbed plays the KuboCD controller (not on the Go module proxy): it
 * creates the Release's Flux children and writes the Release phase from
 * their real conditions — the one status the tests do not leave to a real
 * controller. A new version is pushed and promoted environment by
 * environment, a registry refuses the pull and then accepts it again, and a
 * Release's parameters fail to render, all in one backend never restarted.
 */
import { TestBackend } from '@backstage/backend-test-utils';
import {
  ClusterCell,
  PromotionView,
} from '@gitops-promotion/backstage-plugin-common';
import {
  applyObjects,
  asAdmin,
  fluxBinaries,
  FluxTestbed,
  KubeClient,
  kuboCdRelease,
  podinfoPackage,
  REGISTRY_PULL_CREDENTIALS,
  startFluxTestbed,
  webFrontendPackage,
  withKubeClient,
} from '@internal/kube-testbed';
import {
  clusterCell,
  component,
  linkDetails,
  requireBinaries,
  row,
  startBackend,
  stopAll,
  TIMEOUT_MS,
  waitForView,
} from './__testUtils__/harness';

jest.setTimeout(TIMEOUT_MS * 3);

const ENVIRONMENTS = ['development', 'staging', 'production'];
const PODINFO = 'Release/podinfo';
const WEB = 'Release/web-frontend';
const FLUX_TIMEOUT = { timeoutMs: 90_000, intervalMs: 250 };

const ENTITIES = [
  component('podinfo', { 'gitops-promotion/kubocd-releases': 'apps/podinfo' }),
  component('web-frontend', {
    'gitops-promotion/kubocd-releases': 'web/web-frontend',
  }),
];

describe('KuboCD Releases promoted across environments, reconciled by real Flux', () => {
  let testbed: FluxTestbed | undefined;
  let backend: TestBackend | undefined;
  const digests = new Map<string, string>();

  const view = (
    entity: string,
    check: (v: PromotionView) => void,
  ): Promise<PromotionView> =>
    waitForView(backend!, entity, check, FLUX_TIMEOUT).then(r => r.view);

  const podinfoIn = (v: PromotionView, env: string): ClusterCell =>
    clusterCell(v, PODINFO, env);

  /** Ready and READY at `version`, the HelmRelease's deployed chart as `deployed` says. */
  const runs =
    (env: string, version: string, deployed: string) => (v: PromotionView) => {
      const cell = podinfoIn(v, env);
      expect(cell).toMatchObject({ state: 'Ready', phase: 'READY', version });
      expect(
        cell.chain.find(l => l.ref.kind === 'HelmRelease')!.facts,
      ).toContainEqual({ key: 'deployed', label: 'Deployed', value: deployed });
    };

  const withAdmin = <T>(env: string, fn: (client: KubeClient) => Promise<T>) =>
    withKubeClient(asAdmin(testbed!.cluster(env).cp), fn);

  /** What a GitOps commit to the Release does: a new package tag in its spec. */
  const promote = (env: string, tag: string) =>
    withAdmin(env, client =>
      client.mergePatch(
        {
          apiVersion: 'kubocd.kubotal.io/v1alpha1',
          kind: 'Release',
          namespace: 'apps',
          name: 'podinfo',
        },
        { spec: { package: { tag } } },
      ),
    );

  const push = async (tag: string, chartVersion: string) => {
    digests.set(
      tag,
      await testbed!.sources.registry.push(
        'packages/podinfo',
        tag,
        podinfoPackage(tag, chartVersion),
      ),
    );
  };

  beforeAll(async () => {
    requireBinaries();
    fluxBinaries();
    testbed = await startFluxTestbed(ENVIRONMENTS, {
      retryDelay: { min: '500ms', max: '4s' },
    });
    const { registry } = testbed.sources;
    await push('6.7.1-p01', '6.7.1');
    await registry.push(
      'packages/web-frontend',
      '2.4.0-p01',
      webFrontendPackage(),
    );
    await Promise.all(
      ENVIRONMENTS.map(env =>
        applyObjects(testbed!.cluster(env).cp, [
          ...kuboCdRelease({
            namespace: 'apps',
            name: 'podinfo',
            registryHost: registry.host,
            repository: 'packages/podinfo',
            tag: '6.7.1-p01',
            credentials: REGISTRY_PULL_CREDENTIALS,
          }),
          // Staging forgets the parameter the web-frontend chart requires.
          ...kuboCdRelease({
            namespace: 'web',
            name: 'web-frontend',
            registryHost: registry.host,
            repository: 'packages/web-frontend',
            tag: '2.4.0-p01',
            credentials: REGISTRY_PULL_CREDENTIALS,
            parameters:
              env === 'staging' ? {} : { fqdn: `web.${env}.example.internal` },
          }),
        ]),
      ),
    );
    backend = await startBackend({
      environments: ENVIRONMENTS.map(env => ({
        name: env,
        clusters: [{ cp: testbed!.cluster(env).cp }],
      })),
      entities: ENTITIES,
    });
  });

  afterAll(async () => {
    await stopAll(
      () => backend?.stop(),
      () => testbed?.stop(),
    );
  });

  it('shows every environment at the package tag source-controller pulled, with the chain KuboCD and Flux built', async () => {
    const v = await view('podinfo', x =>
      ENVIRONMENTS.forEach(env =>
        expect(podinfoIn(x, env)).toMatchObject({
          state: 'Ready',
          phase: 'READY',
        }),
      ),
    );
    expect(v.clusterErrors).toEqual([]);
    const dev = podinfoIn(v, 'development');
    expect(dev.version).toBe('6.7.1-p01');
    expect(dev.chain[1].classification.revision).toBe(
      `6.7.1-p01@${digests.get('6.7.1-p01')}`,
    );
    expect(
      dev.chain.map(l => [
        `${l.ref.kind}/${l.ref.name}`,
        l.classification.state,
        l.classification.reason,
      ]),
    ).toEqual([
      ['Release/podinfo', 'Ready', 'READY'],
      ['OCIRepository/kcd-podinfo', 'Ready', 'Succeeded'],
      ['HelmRepository/kcd-podinfo', 'Ready', 'Succeeded'],
      ['HelmRelease/podinfo-main', 'Ready', 'InstallSucceeded'],
      ['HelmChart/apps-podinfo-main', 'Ready', 'ChartPullSucceeded'],
    ]);
    expect(dev.chain[1].classification.message).toBe(
      `stored artifact for digest '6.7.1-p01@${digests.get('6.7.1-p01')}'`,
    );
    expect(row(v, PODINFO).promotions.map(p => p.relation)).toEqual([
      'equal',
      'equal',
    ]);
  });

  it('follows a new version pushed and promoted environment by environment', async () => {
    await push('6.7.1-p02', '6.7.2');
    await promote('development', '6.7.1-p02');
    const upgraded = 'podinfo@6.7.2 (Helm revision 2)';
    let v = await view('podinfo', runs('development', '6.7.1-p02', upgraded));
    expect(row(v, PODINFO).promotions).toEqual([
      expect.objectContaining({
        from: 'development',
        to: 'staging',
        relation: 'behind',
        fromVersion: '6.7.1-p02',
        toVersion: '6.7.1-p01',
      }),
      expect.objectContaining({ relation: 'equal' }),
    ]);

    await promote('staging', '6.7.1-p02');
    v = await view('podinfo', runs('staging', '6.7.1-p02', upgraded));
    expect(row(v, PODINFO).promotions.map(p => p.relation)).toEqual([
      'equal',
      'behind',
    ]);

    await promote('production', '6.7.1-p02');
    v = await view('podinfo', runs('production', '6.7.1-p02', upgraded));
    expect(row(v, PODINFO).promotions.map(p => p.relation)).toEqual([
      'equal',
      'equal',
    ]);
  });

  it('names the OCIRepository when the registry refuses the pull, and sees the promotion through once it accepts it', async () => {
    const { registry } = testbed!.sources;
    await push('6.7.1-p03', '6.7.3');
    registry.rejectPulls();
    await promote('production', '6.7.1-p03');
    const v = await view('podinfo', x =>
      expect(podinfoIn(x, 'production')).toMatchObject({
        phase: 'WAIT_OCI',
        rootCause: expect.objectContaining({ category: 'authentication' }),
      }),
    );
    const prod = podinfoIn(v, 'production');
    expect(prod).toMatchObject({
      state: 'Failed',
      phase: 'WAIT_OCI',
      version: '6.7.1-p02',
      targetVersion: '6.7.1-p03',
      retry: 'retrying',
    });
    expect(prod.rootCause).toMatchObject({
      reason: 'OCIArtifactPullFailed',
      ref: expect.objectContaining({
        kind: 'OCIRepository',
        name: 'kcd-podinfo',
      }),
    });
    const flux = `failed to determine artifact digest: GET http://${registry.host}/v2/packages/podinfo/manifests/6.7.1-p03: UNAUTHORIZED: authentication required`;
    expect(prod.rootCause!.message).toContain(flux);
    expect(prod.rootCause!.summary).toContain(
      `cannot pull oci://${registry.host}/packages/podinfo:6.7.1-p03 (credentials rejected): ${flux}`,
    );
    const { events } = await linkDetails(
      backend!,
      'podinfo',
      prod,
      'OCIRepository',
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'Warning',
        reason: 'OCIArtifactPullFailed',
        source: 'source-controller',
        message: expect.stringContaining(flux),
      }),
    );
    // Production still runs what staging runs; it is rolling out 6.7.1-p03.
    expect(row(v, PODINFO).promotions[1]).toMatchObject({
      relation: 'equal',
      toVersion: '6.7.1-p02',
    });

    registry.acceptPulls();
    const fixed = await view(
      'podinfo',
      runs('production', '6.7.1-p03', 'podinfo@6.7.3 (Helm revision 3)'),
    );
    expect(podinfoIn(fixed, 'production').rootCause).toBeUndefined();
    expect(row(fixed, PODINFO).promotions[1].relation).toBe('ahead');
  });

  it('explains WAIT_HREL with the HelmRelease helm-controller failed to install, and clears it when the parameter is given', async () => {
    const v = await view('web-frontend', x =>
      expect(clusterCell(x, WEB, 'staging').rootCause?.reason).toBe(
        'InstallFailed',
      ),
    );
    const staging = clusterCell(v, WEB, 'staging');
    expect(staging).toMatchObject({
      state: 'Failed',
      phase: 'WAIT_HREL',
      retry: 'retrying',
    });
    expect(staging.rootCause).toMatchObject({
      category: 'configuration',
      ref: expect.objectContaining({
        kind: 'HelmRelease',
        name: 'web-frontend-main',
      }),
    });
    expect(staging.rootCause!.message).toMatch(
      /^Helm install failed for release web\/web-frontend-main with chart web-frontend@2\.4\.0: execution error at \(web-frontend\/templates\/configmap\.yaml:\d+:\d+\): fqdn is required: set it in the values$/,
    );
    expect(clusterCell(v, WEB, 'development').state).toBe('Ready');
    const { events } = await linkDetails(
      backend!,
      'web-frontend',
      staging,
      'HelmRelease',
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'Warning',
        reason: 'InstallFailed',
        source: 'helm-controller',
      }),
    );

    await withAdmin('staging', client =>
      client.mergePatch(
        {
          apiVersion: 'kubocd.kubotal.io/v1alpha1',
          kind: 'Release',
          namespace: 'web',
          name: 'web-frontend',
        },
        { spec: { parameters: { fqdn: 'web.staging.example.internal' } } },
      ),
    );
    const fixed = await view('web-frontend', x =>
      expect(clusterCell(x, WEB, 'staging')).toMatchObject({
        state: 'Ready',
        phase: 'READY',
      }),
    );
    expect(clusterCell(fixed, WEB, 'staging').rootCause).toBeUndefined();
  });
});
