import * as k8s from '@kubernetes/client-node';
import path from 'node:path';
import { kubeBinaries } from '../binaries';
import { ControlPlane, startControlPlane } from '../controlPlane';
import {
  expireWatches,
  installCrds,
  LEGACY_CRDS,
  seededCrdFiles,
} from '../crds';
import { asAdmin } from '../auth';
import { kubeConfig as testbedKubeConfig, withKubeClient } from '../kubeClient';
import { readFixtureObjects } from '../fixtures';
import { applyObjects, createMany, seedFixtures } from '../seed';

// Real processes: a cold start takes several seconds on 2 cores.
jest.setTimeout(120_000);

const DEMO_FIXTURES = path.join(
  __dirname,
  '..',
  '__fixtures__',
  'clusters',
  'demo',
);

const RELEASES = {
  group: 'kubocd.kubotal.io',
  version: 'v1alpha1',
  plural: 'releases',
};

const kubeConfig = (cp: ControlPlane, token: string) =>
  testbedKubeConfig({ url: cp.url, caData: cp.caData, token });

const customObjects = (cp: ControlPlane, token: string) =>
  kubeConfig(cp, token).makeApiClient(k8s.CustomObjectsApi);

interface WatchEvent {
  type: string;
  object: any;
}

/**
 * Watches until `enough` says so, the server ends the watch, or it fails.
 * A 429 is retried as a real client does: the apiextensions server answers
 * it for a while after a CRD change swaps the resource's storage, even once
 * lists are served again.
 */
async function watchEvents(
  kc: k8s.KubeConfig,
  watchPath: string,
  query: Record<string, string | boolean>,
  enough: (events: WatchEvent[]) => boolean,
): Promise<WatchEvent[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await watchOnce(kc, watchPath, query, enough);
    } catch (error) {
      if (
        (error as { statusCode?: number }).statusCode !== 429 ||
        attempt >= 40
      ) {
        throw error;
      }
      await new Promise(r => setTimeout(r, 250));
    }
  }
}

async function watchOnce(
  kc: k8s.KubeConfig,
  watchPath: string,
  query: Record<string, string | boolean>,
  enough: (events: WatchEvent[]) => boolean,
): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  let controller: AbortController | undefined;
  const done = new Promise<WatchEvent[]>((resolve, reject) => {
    new k8s.Watch(kc)
      .watch(
        watchPath,
        query,
        (type, object) => {
          events.push({ type, object });
          if (enough(events)) {
            controller?.abort();
            resolve(events);
          }
        },
        error =>
          error && error.name !== 'AbortError'
            ? reject(error)
            : resolve(events),
      )
      .then(c => {
        controller = c;
      }, reject);
  });
  return done;
}

describe('startControlPlane', () => {
  let cp: ControlPlane;

  beforeAll(async () => {
    cp = await startControlPlane({
      name: 'jest',
      binaries: kubeBinaries(),
      audit: true,
    });
    // The permissive CRDs of the seeded demo and the bench: this suite seeds
    // the demo's hand-written Flux statuses, which Flux's own CRDs reject
    // (their status.artifact lacks fields source-controller writes).
    await installCrds(cp, seededCrdFiles());
  });

  afterAll(async () => {
    await cp?.stop();
  });

  it('stores a Release and its status set through /status; the reader sees both', async () => {
    const kc = kubeConfig(cp, cp.tokens.admin);
    await kc
      .makeApiClient(k8s.CoreV1Api)
      .createNamespace({ body: { metadata: { name: 'status' } } });
    const admin = kc.makeApiClient(k8s.CustomObjectsApi);
    const created = await admin.createNamespacedCustomObject({
      ...RELEASES,
      namespace: 'status',
      body: {
        apiVersion: 'kubocd.kubotal.io/v1alpha1',
        kind: 'Release',
        metadata: { name: 'podinfo', namespace: 'status' },
        spec: {
          package: {
            repository: 'quay.io/kubodoc/packages/podinfo',
            tag: '6.7.1-p01',
          },
        },
        status: { phase: 'IGNORED' },
      },
    });
    // The status subresource drops status from create...
    expect(created.status).toBeUndefined();
    await admin.replaceNamespacedCustomObjectStatus({
      ...RELEASES,
      namespace: 'status',
      name: 'podinfo',
      body: { ...created, status: { phase: 'READY', readyReleases: '1/1' } },
    });

    const list = await customObjects(
      cp,
      cp.tokens.reader,
    ).listNamespacedCustomObject({ ...RELEASES, namespace: 'status' });
    expect(list.items).toHaveLength(1);
    expect(list.items[0].spec.package.tag).toBe('6.7.1-p01');
    expect(list.items[0].status).toEqual({
      phase: 'READY',
      readyReleases: '1/1',
    });
  });

  it('paginates a list with limit and continue', async () => {
    await createMany(cp, { namespace: 'paging', count: 5 });
    const reader = customObjects(cp, cp.tokens.reader);
    const names: string[] = [];
    const remaining: Array<number | undefined> = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await reader.listNamespacedCustomObject({
        ...RELEASES,
        namespace: 'paging',
        limit: 2,
        _continue: token,
      });
      pages++;
      names.push(...page.items.map((item: any) => item.metadata.name));
      remaining.push(page.metadata.remainingItemCount);
      // Custom objects come back as raw JSON: "continue", not "_continue".
      token = page.metadata.continue || undefined;
    } while (token);
    expect(pages).toBe(3);
    expect(remaining).toEqual([3, 1, undefined]);
    expect(names).toEqual([
      'bulk-00001',
      'bulk-00002',
      'bulk-00003',
      'bulk-00004',
      'bulk-00005',
    ]);
  });

  it('answers 403 to the restricted token on helmrepositories, 401 to a bad token', async () => {
    const restricted = customObjects(cp, cp.tokens.restricted);
    await expect(
      restricted.listClusterCustomObject({ ...RELEASES }),
    ).resolves.toMatchObject({ kind: 'ReleaseList' });
    await expect(
      restricted.listClusterCustomObject({
        group: 'source.toolkit.fluxcd.io',
        version: 'v1',
        plural: 'helmrepositories',
      }),
    ).rejects.toMatchObject({ code: 403 });
    await expect(
      customObjects(cp, cp.tokens.reader).listClusterCustomObject({
        group: 'source.toolkit.fluxcd.io',
        version: 'v1',
        plural: 'helmrepositories',
      }),
    ).resolves.toMatchObject({ kind: 'HelmRepositoryList' });
    await expect(
      customObjects(cp, 'not-a-token').listClusterCustomObject({
        ...RELEASES,
      }),
    ).rejects.toMatchObject({ code: 401 });
  });

  it('answers 404 for a kind or a version that is not installed', async () => {
    const widgets = {
      group: 'widgets.example.com',
      version: 'v1',
      plural: 'widgets',
    };
    await expect(
      customObjects(cp, cp.tokens.admin).listClusterCustomObject(widgets),
    ).rejects.toMatchObject({ code: 404 });
    // RBAC is checked first: a user not granted the resource gets 403 for
    // a kind that does not exist.
    const reader = customObjects(cp, cp.tokens.reader);
    await expect(reader.listClusterCustomObject(widgets)).rejects.toMatchObject(
      { code: 403 },
    );
    // Granted (the role names kustomizations, any version): 404.
    await expect(
      reader.listClusterCustomObject({
        group: 'kustomize.toolkit.fluxcd.io',
        version: 'v1beta1',
        plural: 'kustomizations',
      }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it('seeds fixtures as controllers leave them', async () => {
    // With Flux statuses: the seeded demo's path (cli.ts up --clusters).
    await expect(
      seedFixtures(cp, DEMO_FIXTURES, { fluxStatus: true }),
    ).resolves.toEqual({ objects: 5 });
    const admin = customObjects(cp, cp.tokens.admin);

    const release = await admin.getNamespacedCustomObject({
      ...RELEASES,
      namespace: 'apps',
      name: 'podinfo',
    });
    expect(release.status.phase).toBe('WAIT_OCI');
    const oci = await admin.getNamespacedCustomObject({
      group: 'source.toolkit.fluxcd.io',
      version: 'v1',
      namespace: 'apps',
      plural: 'ocirepositories',
      name: 'kcd-podinfo',
    });
    expect(oci.metadata.ownerReferences[0].uid).toBe(release.metadata.uid);
    // Up to date in the fixture: observedGeneration follows the live generation.
    expect(oci.metadata.generation).toBe(1);
    expect(oci.status.observedGeneration).toBe(1);
    expect(oci.status.conditions[0].observedGeneration).toBe(1);

    // Stale in the fixture (observed 2 < generation 3): stays stale.
    const ledger = await admin.getNamespacedCustomObject({
      group: 'helm.toolkit.fluxcd.io',
      version: 'v2',
      namespace: 'finance',
      plural: 'helmreleases',
      name: 'ledger',
    });
    expect(ledger.metadata.generation).toBe(2);
    expect(ledger.status.observedGeneration).toBe(1);
    expect(ledger.spec).not.toHaveProperty('kubeTestbedGenerationBump');

    const events = await kubeConfig(cp, cp.tokens.reader)
      .makeApiClient(k8s.CoreV1Api)
      .listNamespacedEvent({ namespace: 'apps' });
    expect(events.items[0].involvedObject.uid).toBe(release.metadata.uid);
  });

  it('leaves Flux statuses out by default and keeps a Release’s', async () => {
    const namespace = 'no-flux-status';
    await applyObjects(
      cp,
      readFixtureObjects(DEMO_FIXTURES)
        .filter(o => o.kind !== 'Event')
        .map(o => ({ ...o, metadata: { ...o.metadata, namespace } })),
    );
    const admin = customObjects(cp, cp.tokens.admin);
    const release = await admin.getNamespacedCustomObject({
      ...RELEASES,
      namespace,
      name: 'podinfo',
    });
    expect(release.status.phase).toBe('WAIT_OCI');
    const flux = [
      ['source.toolkit.fluxcd.io', 'ocirepositories', 'kcd-podinfo'],
      ['source.toolkit.fluxcd.io', 'gitrepositories', 'inventory-service'],
      ['helm.toolkit.fluxcd.io', 'helmreleases', 'ledger'],
    ];
    for (const [group, plural, name] of flux) {
      const object = await admin.getNamespacedCustomObject({
        group,
        version: group.startsWith('helm') ? 'v2' : 'v1',
        namespace,
        plural,
        name,
      });
      expect([name, object.status]).toEqual([name, undefined]);
      // No status to be stale against: the marker never went in.
      expect(object.metadata.generation).toBe(1);
    }
  });

  it('streams a change to a watch started at a resourceVersion', async () => {
    const admin = customObjects(cp, cp.tokens.admin);
    const before = await admin.getNamespacedCustomObject({
      group: 'source.toolkit.fluxcd.io',
      version: 'v1',
      namespace: 'flux-system',
      plural: 'gitrepositories',
      name: 'inventory-service',
    });
    const watching = watchEvents(
      kubeConfig(cp, cp.tokens.reader),
      '/apis/source.toolkit.fluxcd.io/v1/gitrepositories',
      {
        resourceVersion: before.metadata.resourceVersion,
        allowWatchBookmarks: true,
      },
      events => events.some(e => e.type === 'MODIFIED'),
    );
    // `flux suspend source git`: a spec change, a new generation.
    await withKubeClient(asAdmin(cp), client =>
      client.mergePatch(
        {
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'GitRepository',
          namespace: 'flux-system',
          name: 'inventory-service',
        },
        { spec: { suspend: true } },
      ),
    );
    const events = await watching;
    const modified = events.find(e => e.type === 'MODIFIED')!.object;
    expect(modified.spec.suspend).toBe(true);
    expect(modified.metadata.generation).toBe(before.metadata.generation + 1);
  });

  it('ends the initial events of a watch list with a bookmark', async () => {
    const events = await watchEvents(
      kubeConfig(cp, cp.tokens.reader),
      '/apis/kubocd.kubotal.io/v1alpha1/namespaces/paging/releases',
      {
        sendInitialEvents: true,
        resourceVersionMatch: 'NotOlderThan',
        allowWatchBookmarks: true,
      },
      seen => seen.some(e => e.type === 'BOOKMARK'),
    );
    expect(events.filter(e => e.type === 'ADDED')).toHaveLength(5);
    const bookmark = events[events.length - 1];
    expect(bookmark.type).toBe('BOOKMARK');
    expect(bookmark.object.metadata.annotations).toEqual({
      'k8s.io/initial-events-end': 'true',
    });
  });

  it('logs the reader’s requests, not the admin’s, in the audit log', async () => {
    await customObjects(cp, cp.tokens.reader).listClusterCustomObject({
      ...RELEASES,
      limit: 3,
    });
    const events = cp.auditEvents();
    expect(events).toContainEqual(
      expect.objectContaining({
        stage: 'ResponseComplete',
        verb: 'list',
        requestURI: '/apis/kubocd.kubotal.io/v1alpha1/releases?limit=3',
        user: expect.objectContaining({ username: 'testbed-reader' }),
        responseStatus: expect.objectContaining({ code: 200 }),
      }),
    );
    expect(events.map(e => e.user.username)).not.toContain('testbed-admin');
  });

  it('ends open watches cleanly and expires their versions on expireWatches', async () => {
    const reader = kubeConfig(cp, cp.tokens.reader);
    const watchPath = '/apis/kubocd.kubotal.io/v1alpha1/releases';
    const list = await customObjects(
      cp,
      cp.tokens.reader,
    ).listClusterCustomObject({ ...RELEASES });
    const version = list.metadata.resourceVersion;
    // Resolves (no error) when the server ends the watch: a clean end.
    const open = watchEvents(
      reader,
      watchPath,
      { resourceVersion: version },
      () => false,
    );
    await expireWatches(cp);
    await expect(open).resolves.toEqual([]);

    const resumed = await watchEvents(
      reader,
      watchPath,
      { resourceVersion: version },
      seen => seen.some(e => e.type === 'ERROR'),
    );
    expect(resumed).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({ code: 410, reason: 'Expired' }),
      },
    ]);
  });

  it('answers 410 Gone to a watch from an expired resourceVersion', async () => {
    const reader = kubeConfig(cp, cp.tokens.reader);
    const watchPath =
      '/apis/kubocd.kubotal.io/v1alpha1/namespaces/paging/releases';
    const list = await customObjects(
      cp,
      cp.tokens.reader,
    ).listNamespacedCustomObject({ ...RELEASES, namespace: 'paging' });
    const oldVersion = list.metadata.resourceVersion;
    await createMany(cp, { namespace: 'paging', count: 2, prefix: 'later' });
    // Still in the watch cache: the watch replays what happened since.
    const replayed = await watchEvents(
      reader,
      watchPath,
      { resourceVersion: oldVersion },
      seen => seen.length === 2,
    );
    // createMany creates concurrently: the replay follows creation order,
    // which is not the order of the names.
    expect(
      replayed.map(e => `${e.type} ${e.object.metadata.name}`).sort(),
    ).toEqual(['ADDED later-00001', 'ADDED later-00002']);

    const compacted = await cp.expireWatchHistory();
    expect(compacted).toBeGreaterThan(Number(oldVersion));

    const events = await watchEvents(
      reader,
      watchPath,
      { resourceVersion: oldVersion },
      seen => seen.some(e => e.type === 'ERROR'),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });

    // The data itself survived the restart.
    const after = await customObjects(
      cp,
      cp.tokens.reader,
    ).listNamespacedCustomObject({ ...RELEASES, namespace: 'paging' });
    expect(after.items).toHaveLength(7);
  });
});

describe('legacy CRDs', () => {
  let cp: ControlPlane;

  beforeAll(async () => {
    cp = await startControlPlane({ name: 'legacy' });
    await installCrds(cp, [LEGACY_CRDS.kustomizationV1beta2Only]);
  });

  afterAll(async () => {
    await cp?.stop();
  });

  it('serves Kustomization at v1beta2 only', async () => {
    const reader = customObjects(cp, cp.tokens.reader);
    const kustomizations = {
      group: 'kustomize.toolkit.fluxcd.io',
      plural: 'kustomizations',
    };
    await expect(
      reader.listClusterCustomObject({ ...kustomizations, version: 'v1' }),
    ).rejects.toMatchObject({ code: 404 });
    await expect(
      reader.listClusterCustomObject({ ...kustomizations, version: 'v1beta2' }),
    ).resolves.toMatchObject({ kind: 'KustomizationList' });
  });
});
