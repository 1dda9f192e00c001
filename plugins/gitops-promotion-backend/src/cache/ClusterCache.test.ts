import { setupServer } from 'msw/node';
import { mockServices } from '@backstage/backend-test-utils';
import { KubeObject } from '@gitops-promotion/backstage-plugin-common';
import {
  ALL_KINDS,
  KINDS,
} from '@gitops-promotion/backstage-plugin-common/server';
import { KubernetesClusterSource } from '../clusters/KubernetesClusterSource';
import { DEFAULT_WATCH_OPTIONS, WatchOptions } from '../config/watchOptions';
import { demoObjects } from '../__testUtils__/demoObjects';
import { FakeKubeApi, status } from '../__testUtils__/FakeKubeApi';
import { Backoff } from './backoff';
import { ClusterCache } from './ClusterCache';

let apis = 0;
const server = setupServer();
beforeAll(() =>
  server.listen({
    // A watch a stopped cache had just issued reaches msw after its test; only this test's host must match.
    onUnhandledRequest: (request, print) => {
      if (new URL(request.url).host === `kube-${apis}.test:6443`) print.error();
    },
  }),
);
afterAll(() => server.close());

const caches: ClusterCache[] = [];
/** The logger of each cache started in the test. */
const logs: Array<ReturnType<typeof mockServices.logger.mock>> = [];
afterEach(async () => {
  await Promise.all(caches.splice(0).map(c => c.stop()));
  jest.restoreAllMocks();
  logs.length = 0;
  server.resetHandlers();
});

/** What the cache logged at warn level, message and detail. */
const warnings = () =>
  logs.flatMap(l =>
    l.warn.mock.calls.map(([message, meta]) => ({
      message,
      detail: (meta as { detail?: string } | undefined)?.detail,
    })),
  );

async function until(check: () => boolean, what: string, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 10));
  }
}

/** A fake staging-eu API server holding the demo's objects. */
function stagingApi(): FakeKubeApi {
  // A host per test: requests a stopped cache had in flight cannot reach the next test's server.
  apis += 1;
  const api = new FakeKubeApi(`https://kube-${apis}.test:6443`);
  for (const [kind, objects] of demoObjects('staging-eu')) {
    api.add(kind, ...structuredClone(objects));
  }
  return api;
}

function startCache(
  api: FakeKubeApi,
  options: Partial<WatchOptions> = {},
  onChange?: (cluster: string, namespace?: string) => void,
) {
  server.use(...api.handlers());
  const watchOptions = {
    ...DEFAULT_WATCH_OPTIONS,
    initialBackoffMs: 20,
    maxBackoffMs: 100,
    requestTimeoutMs: 1000,
    ...options,
  };
  const logger = mockServices.logger.mock();
  logs.push(logger);
  const source = new KubernetesClusterSource(
    { name: 'staging-eu', url: api.baseUrl, authMetadata: {} },
    async () => ({ type: 'bearer token', token: 'reader-token' }),
    watchOptions,
    logger,
  );
  const cache = new ClusterCache(source, watchOptions, logger, onChange);
  caches.push(cache);
  cache.start();
  return cache;
}

const PLURALS = ALL_KINDS.map(kind => KINDS[kind].plural);

/** A copy of the demo's ledger HelmRelease, to change and emit. */
const demoLedger = () =>
  structuredClone(
    demoObjects('staging-eu')
      .get('HelmRelease')!
      .find(o => o.metadata.name === 'ledger')!,
  );

/** Whether a watch of the plural was asked from that resourceVersion. */
const watchedFrom = (api: FakeKubeApi, plural: string, version: number) =>
  api.requests.some(
    r =>
      r.path.endsWith(`/${plural}`) &&
      r.query.includes('watch=true') &&
      r.query.includes(`resourceVersion=${version}`),
  );

/** Resolves once the HelmReleases are watched. */
const untilWatched = (api: FakeKubeApi) =>
  until(() => api.openWatches('helmreleases').length === 1, 'the watch');

const hr = (cache: ClusterCache, name: string) =>
  cache.store.byName('HelmRelease', name)[0];

describe('ClusterCache against the Kubernetes API (msw)', () => {
  it('lists every page, then watches from the list resourceVersion with bookmarks', async () => {
    const api = stagingApi();
    const cache = startCache(api, { pageSize: 2 });
    await cache.whenSettled();

    const helmReleases = demoObjects('staging-eu').get('HelmRelease')!;
    expect(cache.store.size('HelmRelease')).toBe(helmReleases.length);
    expect(
      api.count(
        'GET',
        '/apis/helm.toolkit.fluxcd.io/v2/helmreleases',
        'limit=2',
      ),
    ).toBe(Math.ceil(helmReleases.length / 2));
    expect(
      api.count(
        'GET',
        '/apis/helm.toolkit.fluxcd.io/v2/helmreleases',
        'continue=2',
      ),
    ).toBe(1);
    await untilWatched(api);
    const watch = api.requests.find(
      r => r.path.endsWith('/helmreleases') && r.query.includes('watch=true'),
    )!;
    expect(watch.query).toContain(`resourceVersion=${api.revision}`);
    expect(watch.query).toContain('allowWatchBookmarks=true');
    expect(cache.errors).toEqual([]);
    // Cached objects are slimmed: no values, a digest instead.
    const ledger = hr(cache, 'ledger');
    expect(ledger.spec?.values).toBeUndefined();
    expect(ledger.spec?.valuesDigest).toMatch(/^spec-sha256:[0-9a-f]{64}$/);
  });

  it('applies ADDED, MODIFIED and DELETED events from the watch stream', async () => {
    const api = stagingApi();
    const cache = startCache(api);
    await cache.whenSettled();
    await untilWatched(api);

    const ledger = demoLedger();
    ledger.status!.conditions = [
      {
        type: 'Ready',
        status: 'False',
        reason: 'UpgradeFailed',
        message: 'Helm upgrade failed: timed out waiting for the condition',
        lastTransitionTime: '2026-11-21T10:00:00Z',
        observedGeneration: ledger.metadata.generation,
      },
    ];
    api.emit('HelmRelease', 'MODIFIED', ledger);
    await until(
      () =>
        hr(cache, 'ledger').status?.conditions?.[0].reason === 'UpgradeFailed',
      'the MODIFIED event',
    );

    const added: KubeObject = {
      ...structuredClone(ledger),
      metadata: { ...ledger.metadata, name: 'ledger-2', uid: 'uid-ledger-2' },
    };
    api.emit('HelmRelease', 'ADDED', added);
    await until(() => !!hr(cache, 'ledger-2'), 'the ADDED event');
    api.emit('HelmRelease', 'DELETED', added);
    await until(() => !hr(cache, 'ledger-2'), 'the DELETED event');
    expect(
      cache.store.byName('HelmRelease', 'ledger').map(o => o.metadata.uid),
    ).toEqual([ledger.metadata.uid]);
  });

  it('leaves out an event object it cannot read, and keeps applying the next events', async () => {
    const api = stagingApi();
    const cache = startCache(api);
    await cache.whenSettled();
    await untilWatched(api);
    // Names the API server never writes: of another type, too long, not a DNS name.
    for (const name of [{ hostile: true }, 'x'.repeat(254), 'ledger\u0000']) {
      const unnamed = demoLedger();
      (unnamed.metadata as { name: unknown }).name = name;
      api.emit('HelmRelease', 'ADDED', unnamed);
    }
    // A namespace of another type names no object the cache holds: the cached ledger stays.
    const ledger = demoLedger();
    (ledger.metadata as { namespace: unknown }).namespace = 7;
    api.emit('HelmRelease', 'MODIFIED', ledger);
    const renamed = {
      ...demoLedger(),
      metadata: { ...demoLedger().metadata, name: 'ledger-2' },
    };
    api.emit('HelmRelease', 'ADDED', renamed);
    await until(() => !!hr(cache, 'ledger-2'), 'the event after them');
    expect(hr(cache, 'ledger')).toBeDefined();
    expect(cache.errors).toEqual([]);
    expect(warnings().map(w => w.message)).toEqual(
      Array(4).fill(
        'Cluster staging-eu: a HelmRelease is left out of the cache, views do not show it: its metadata.name or metadata.namespace is missing or not a valid Kubernetes name. Correct the object in the cluster.',
      ),
    );
  });

  it('tells its listener which namespace changed, and a cluster-wide change only when errors change', async () => {
    const api = stagingApi();
    const changes: Array<[string, string | undefined]> = [];
    const cache = startCache(api, { discoveryIntervalMs: 20 }, (c, ns) =>
      changes.push([c, ns]),
    );
    await cache.whenSettled();
    await untilWatched(api);
    // The initial lists: anything in the cluster may have changed.
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every(([c, ns]) => c === 'staging-eu' && !ns)).toBe(true);

    // Rediscovery that finds nothing new says nothing.
    changes.length = 0;
    const discoveries = api.count('GET', '/apis');
    await until(
      () => api.count('GET', '/apis') >= discoveries + 5,
      'five more discoveries',
    );
    expect(changes).toEqual([]);

    const ledger = demoLedger();
    api.emit('HelmRelease', 'MODIFIED', ledger);
    await until(() => changes.length > 0, 'the MODIFIED event');
    expect(changes).toEqual([['staging-eu', ledger.metadata.namespace]]);

    // An error appearing is a change of the whole cluster; retries that meet
    // the same error say nothing more.
    changes.length = 0;
    const forbidden = {
      status: 403,
      body: status(403, 'Forbidden', 'helmreleases is forbidden'),
    };
    api
      .fail('watch:helmreleases', forbidden)
      .fail('list:helmreleases', forbidden);
    api.endWatches('helmreleases');
    const path = '/apis/helm.toolkit.fluxcd.io/v2/helmreleases';
    await until(
      () =>
        cache.errors.some(
          e => e.type === 'FORBIDDEN' && e.message.includes('forbids list'),
        ),
      'the 403 on relist',
    );
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every(([, ns]) => ns === undefined)).toBe(true);
    changes.length = 0;
    const attempts = api.count('GET', path);
    await until(
      () => api.count('GET', path) >= attempts + 3,
      'three more refused lists',
    );
    expect(changes).toEqual([]);
  });

  it('keeps a watch that RBAC refuses reported while relists keep the kind current, until a watch is accepted', async () => {
    // RBAC that grants get and list but not watch: every list works, every watch is refused.
    const api = stagingApi();
    api.fail('watch:helmrepositories', {
      status: 403,
      body: status(
        403,
        'Forbidden',
        'helmrepositories.source.toolkit.fluxcd.io is forbidden: User "system:serviceaccount:backstage:gitops-reader" cannot watch resource "helmrepositories" in API group "source.toolkit.fluxcd.io" at the cluster scope',
      ),
    });
    const cache = startCache(api);
    const refused = () =>
      cache.errors.some(
        e =>
          e.kind === 'HelmRepository' &&
          e.type === 'FORBIDDEN' &&
          e.message.includes('forbids watch helmrepositories'),
      );
    await until(refused, 'the refused watch');
    expect(cache.hasData('HelmRepository')).toBe(true);
    expect(cache.store.size('HelmRepository')).toBe(
      demoObjects('staging-eu').get('HelmRepository')!.length,
    );

    // Each relist reads the kind again (a change arrives with it) and the
    // error stays: it does not clear for a backoff after every list.
    const path = '/apis/source.toolkit.fluxcd.io/v1/helmrepositories';
    const lists = api.count('GET', path, 'limit=');
    const repository = structuredClone(
      demoObjects('staging-eu').get('HelmRepository')![0],
    );
    repository.spec = {
      ...repository.spec,
      url: 'https://charts.example.com/moved',
    };
    api.emit('HelmRepository', 'MODIFIED', repository);
    let cleared = 0;
    await until(() => {
      if (!refused()) cleared += 1;
      return api.count('GET', path, 'limit=') >= lists + 3;
    }, 'three relists');
    expect(cleared).toBe(0);
    expect(
      cache.store.byName('HelmRepository', repository.metadata.name)[0].spec,
    ).toMatchObject({ url: 'https://charts.example.com/moved' });
    // Said once in the log, not once per relist.
    expect(
      warnings().filter(w => w.message.includes('forbids watch')),
    ).toHaveLength(1);
    expect(logs[0].info).not.toHaveBeenCalledWith(
      'Cluster staging-eu: helmrepositories synced again',
    );

    // Watch granted: the first watch the server accepts clears the error.
    api.fail('watch:helmrepositories', undefined);
    await until(() => !refused(), 'the accepted watch');
    expect(cache.errors.filter(e => e.kind === 'HelmRepository')).toEqual([]);
    expect(logs[0].info).toHaveBeenCalledWith(
      'Cluster staging-eu: helmrepositories synced again',
    );
  });

  it('resumes from the last bookmark when the server ends a watch, without relisting', async () => {
    const api = stagingApi();
    const cache = startCache(api);
    await cache.whenSettled();
    await untilWatched(api);
    const lists = api.count(
      'GET',
      '/apis/helm.toolkit.fluxcd.io/v2/helmreleases',
      'limit=',
    );

    api.bookmark('helmreleases');
    const bookmarked = api.revision;
    await new Promise(r => setTimeout(r, 50));
    api.endWatches('helmreleases');
    await until(
      () => watchedFrom(api, 'helmreleases', bookmarked),
      'a watch from the bookmark',
    );
    expect(
      api.count(
        'GET',
        '/apis/helm.toolkit.fluxcd.io/v2/helmreleases',
        'limit=',
      ),
    ).toBe(lists);
  });

  it('re-watches from the last resourceVersion when a watch fails: no relist, no error, no cluster-wide change', async () => {
    const api = stagingApi();
    const changes: Array<string | undefined> = [];
    const cache = startCache(api, {}, (_, ns) => changes.push(ns));
    await cache.whenSettled();
    await until(
      () => api.openWatches().length === ALL_KINDS.length,
      'every watch',
    );
    const lists = () => api.count('GET', '/apis/', 'limit=');
    const listed = lists();
    api.bookmark('helmreleases');
    const bookmarked = api.revision;
    await new Promise(r => setTimeout(r, 50));
    changes.length = 0;

    // The stream breaks (msw cannot reset a connection that streamed; the
    // integration tests reset real ones): an error Status in the stream.
    api.failWatches(
      'helmreleases',
      status(
        500,
        'InternalError',
        'an error on the server has prevented the request from succeeding',
      ),
    );
    await until(
      () => watchedFrom(api, 'helmreleases', bookmarked),
      'a watch from the bookmark',
    );
    expect(lists()).toBe(listed);
    expect(cache.errors).toEqual([]);
    expect(changes).toEqual([]);

    // A change after it arrives through the new watch.
    const ledger = demoLedger();
    ledger.metadata.labels = { ...ledger.metadata.labels, after: 'rewatch' };
    api.emit('HelmRelease', 'MODIFIED', ledger);
    await until(
      () => hr(cache, 'ledger').metadata.labels?.after === 'rewatch',
      'the event after the re-watch',
    );
    expect(changes).toEqual([ledger.metadata.namespace]);
  });

  it('relists, and reports the kind, when the re-watch fails too', async () => {
    const api = stagingApi();
    const cache = startCache(api, { initialBackoffMs: 5000 });
    await cache.whenSettled();
    await until(
      () => api.openWatches('ocirepositories').length === 1,
      'the watch',
    );
    const path = '/apis/source.toolkit.fluxcd.io/v1/ocirepositories';
    const listed = api.count('GET', path, 'limit=');
    api.fail('watch:ocirepositories', 'network');
    api.failWatches(
      'ocirepositories',
      status(500, 'InternalError', 'an error on the server'),
    );
    await until(() => cache.errors.length > 0, 'the error');
    expect(cache.errors).toEqual([
      expect.objectContaining({ type: 'UNREACHABLE', kind: 'OCIRepository' }),
    ]);
    // The broken watch, then its re-watch, refused.
    expect(api.count('GET', path, 'watch=true')).toBe(2);
    api.fail('watch:ocirepositories', undefined);
    await until(
      () => api.count('GET', path, 'limit=') === listed + 1,
      'the relist',
      6000,
    );
  });

  it('relists when the watch stream reports 410 Gone, and keeps the data consistent', async () => {
    const api = stagingApi();
    const cache = startCache(api);
    await cache.whenSettled();
    await until(
      () => api.openWatches('ocirepositories').length === 1,
      'the watch',
    );
    const lists = api.count(
      'GET',
      '/apis/source.toolkit.fluxcd.io/v1/ocirepositories',
      'limit=',
    );

    // Changed while the watch was expired: only a relist can see it.
    const oci = structuredClone(
      demoObjects('staging-eu')
        .get('OCIRepository')!
        .find(o => o.metadata.name === 'kcd-podinfo')!,
    );
    oci.status!.artifact!.revision =
      '6.7.1-p02@sha256:0000000000000000000000000000000000000000000000000000000000000002';
    api.endWatches('ocirepositories');
    api.emit('OCIRepository', 'MODIFIED', oci);
    await until(
      () => api.openWatches('ocirepositories').length === 1,
      'the new watch',
    );
    api.expireWatches('ocirepositories');

    await until(
      () =>
        api.count(
          'GET',
          '/apis/source.toolkit.fluxcd.io/v1/ocirepositories',
          'limit=',
        ) ===
        lists + 1,
      'the relist',
    );
    await until(
      () =>
        cache.store
          .get('OCIRepository', 'apps', 'kcd-podinfo')
          ?.status?.artifact?.revision?.startsWith('6.7.1-p02') ?? false,
      'the relisted object',
    );
    expect(cache.errors).toEqual([]);
  });

  it('reports any other error Status inside the watch stream as a failure of that kind once its re-watch fails too, keeping its data', async () => {
    const api = stagingApi();
    // A long backoff holds the error in place until the test has read it.
    const cache = startCache(api, { initialBackoffMs: 5000 });
    await cache.whenSettled();
    await untilWatched(api);
    const internal = status(
      500,
      'InternalError',
      'an error on the server ("unable to decode an event from the watch stream") has prevented the request from succeeding',
    );
    api.fail('watch:helmreleases', { status: 500, body: internal });
    api.failWatches('helmreleases', internal);
    await until(() => cache.errors.length > 0, 'the error');
    expect(cache.errors).toEqual([
      expect.objectContaining({
        type: 'UNREACHABLE',
        kind: 'HelmRelease',
        lastSyncedAt: expect.any(String),
      }),
    ]);
    // The server's words go to the log, not to the views.
    expect(cache.errors[0].message).toBe(
      'Cluster staging-eu answered 500 Internal Server Error to watch helmreleases.helm.toolkit.fluxcd.io/v2.',
    );
    expect(warnings()).toContainEqual({
      message: cache.errors[0].message,
      detail: 'Internal Server Error',
    });
    expect(cache.store.size('HelmRelease')).toBe(
      demoObjects('staging-eu').get('HelmRelease')!.length,
    );
  });

  it('does not relist in a loop against a server that answers every watch with 410', async () => {
    const api = stagingApi().fail('watch:helmreleases', {
      status: 410,
      body: status(410, 'Expired', 'too old resource version: 1 (2)'),
    });
    const cache = startCache(api, {
      initialBackoffMs: 100,
      maxBackoffMs: 10_000,
    });
    await cache.whenSettled();
    const lists = () =>
      api.count(
        'GET',
        '/apis/helm.toolkit.fluxcd.io/v2/helmreleases',
        'limit=',
      );
    const before = lists();
    await new Promise(r => setTimeout(r, 1000));
    // The backoff grows with each quick 410 (ceilings 100, 200, 400, 800 ms,
    // full jitter): 3 to 7 relists in the first second, never 8 in 200,000
    // simulated runs; one that reset it after each relist makes 11 or more.
    expect(lists() - before).toBeLessThanOrEqual(7);
    // It still relists after each 410, backing off, not giving up.
    expect(lists() - before).toBeGreaterThanOrEqual(1);
    expect(cache.store.size('HelmRelease')).toBeGreaterThan(0);
  });

  it('backs off from watches that fail before they open, however long the failure takes', async () => {
    // No answer within the request timeout (a proxy that buffers streams):
    // each watch fails after a full second without having been open.
    const api = stagingApi().fail('watch:helmreleases', 'hang');
    // The full ceiling each time, so the delays show how the backoff grows.
    jest.spyOn(Math, 'random').mockReturnValue(1);
    const next = jest.spyOn(Backoff.prototype, 'next');
    const cache = startCache(api, {
      initialBackoffMs: 400,
      maxBackoffMs: 10_000,
      requestTimeoutMs: 1000,
    });
    await cache.whenSettled();
    await until(() => next.mock.results.length >= 2, 'two delays', 6000);
    // The wait before the re-watch, then before the relist, growing: a
    // reset after each slow failure would relist every 2.4 s for good.
    expect(next.mock.results.slice(0, 2).map(r => r.value)).toEqual([400, 800]);
  });

  it('starts a paginated list over when its continue token expires (410)', async () => {
    const api = stagingApi();
    api.failNextLists('helmreleases', 'pass', {
      status: 410,
      body: status(
        410,
        'Expired',
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
      ),
    });
    const cache = startCache(api, { pageSize: 2 });
    await cache.whenSettled();
    expect(cache.store.size('HelmRelease')).toBe(
      demoObjects('staging-eu').get('HelmRelease')!.length,
    );
    expect(
      api.count(
        'GET',
        '/apis/helm.toolkit.fluxcd.io/v2/helmreleases',
        'continue=2',
      ),
    ).toBe(2);
    expect(cache.errors).toEqual([]);
  });

  it('reports rejected credentials (401) once for the whole cluster, with no data', async () => {
    const api = stagingApi().fail('discovery', {
      status: 401,
      body: status(401, 'Unauthorized', 'Unauthorized'),
    });
    const cache = startCache(api);
    await cache.whenSettled();
    expect(cache.errors).toEqual([
      expect.objectContaining({
        cluster: 'staging-eu',
        type: 'UNAUTHORIZED',
        message: expect.stringContaining('rejected the credentials (401)'),
      }),
    ]);
    expect(cache.errors[0].kind).toBeUndefined();
    expect(cache.errors[0].lastSyncedAt).toBeUndefined();
    expect(cache.hasData('Release')).toBe(false);
  });

  it('reports a kind the token may not list (403) for that kind only', async () => {
    const message =
      'helmrepositories.source.toolkit.fluxcd.io is forbidden: User "system:serviceaccount:backstage:gitops-reader" cannot list resource "helmrepositories" in API group "source.toolkit.fluxcd.io" at the cluster scope';
    const api = stagingApi().fail('list:helmrepositories', {
      status: 403,
      body: status(403, 'Forbidden', message),
    });
    const cache = startCache(api);
    await cache.whenSettled();
    expect(cache.errors).toEqual([
      expect.objectContaining({ type: 'FORBIDDEN', kind: 'HelmRepository' }),
    ]);
    // The service account's name is for the operator's log, not for every viewer.
    expect(cache.errors[0].message).toBe(
      'Cluster staging-eu forbids list helmrepositories.source.toolkit.fluxcd.io/v1 (403): grant the service account get, list and watch on it.',
    );
    expect(warnings()).toContainEqual({
      message: cache.errors[0].message,
      detail: message,
    });
    expect(cache.hasData('HelmRepository')).toBe(false);
    expect(cache.hasData('Release')).toBe(true);
    expect(cache.store.size('Release')).toBeGreaterThan(0);
  });

  it('reports a kind whose CRD is not installed, and does not ask again in a loop', async () => {
    const api = stagingApi().unserve('kubocd.kubotal.io');
    const cache = startCache(api);
    await cache.whenSettled();
    await new Promise(r => setTimeout(r, 300));
    expect(cache.errors).toEqual([
      expect.objectContaining({ type: 'NOT_INSTALLED', kind: 'Release' }),
    ]);
    expect(cache.errors[0].message).toContain('releases.kubocd.kubotal.io');
    expect(api.count('GET', '/apis/kubocd.kubotal.io')).toBe(0);
    expect(api.count('GET', '/apis', '')).toBeGreaterThanOrEqual(1);
    expect(api.requests.filter(r => r.path === '/apis')).toHaveLength(1);
    expect(cache.hasData('HelmRelease')).toBe(true);
  });

  it('says nothing of an optional kind the cluster lacks (ExternalArtifact before Flux 2.7)', async () => {
    const api = stagingApi().unserve(
      'source.toolkit.fluxcd.io',
      'v1',
      'externalartifacts',
    );
    const cache = startCache(api);
    await cache.whenSettled();
    expect(cache.errors).toEqual([]);
    expect(cache.hasData('ExternalArtifact')).toBe(false);
    expect(cache.hasData('Bucket')).toBe(true);
    expect(
      api.count('GET', '/apis/source.toolkit.fluxcd.io/v1/externalartifacts'),
    ).toBe(0);
  });

  it('falls back to a beta version the cluster serves, and says so', async () => {
    const api = stagingApi()
      .unserve('kustomize.toolkit.fluxcd.io')
      .serve('kustomize.toolkit.fluxcd.io', 'v1beta2', 'kustomizations');
    const cache = startCache(api);
    await cache.whenSettled();
    expect(
      api.count(
        'GET',
        '/apis/kustomize.toolkit.fluxcd.io/v1beta2/kustomizations',
      ),
    ).toBeGreaterThan(0);
    expect(cache.errors).toEqual([
      expect.objectContaining({
        type: 'VERSION_NOT_SERVED',
        kind: 'Kustomization',
        degraded: true,
      }),
    ]);
    expect(cache.hasData('Kustomization')).toBe(true);
    expect(
      cache.store.get('Kustomization', 'flux-system', 'inventory-service')
        ?.apiVersion,
    ).toBe('kustomize.toolkit.fluxcd.io/v1beta2');
  });

  it('sends none of its queued lists once stopped', async () => {
    const api = stagingApi();
    for (const plural of PLURALS) api.fail(`list:${plural}`, 'hang');
    const cache = startCache(api, { requestTimeoutMs: 300 });
    const lists = () => api.count('GET', '/apis/', 'limit=');
    // Two lists in flight per cluster; the other five wait for a slot.
    await until(() => lists() === 2, 'the first two lists');
    await cache.stop();
    await new Promise(r => setTimeout(r, 100));
    expect(lists()).toBe(2);
  });

  it('aborts the lists it has in flight when stopped', async () => {
    const api = stagingApi();
    for (const plural of PLURALS) api.fail(`list:${plural}`, 'hang');
    // Far beyond the test's timeout: only aborting the two hanging lists lets stop() return.
    const cache = startCache(api, { requestTimeoutMs: 600_000 });
    await until(
      () => api.count('GET', '/apis/', 'limit=') === 2,
      'the two hanging lists',
    );
    await cache.stop();
    expect(cache.errors).toEqual([]);
  });

  it('gives up on a request that hangs after the timeout (TIMEOUT) and retries', async () => {
    const api = stagingApi().fail('list:releases', 'hang');
    const cache = startCache(api, { requestTimeoutMs: 1000 });
    await cache.whenSettled();
    expect(cache.errors).toEqual([
      expect.objectContaining({ type: 'TIMEOUT', kind: 'Release' }),
    ]);
    api.fail('list:releases', undefined);
    await until(
      () => cache.hasData('Release') && cache.errors.length === 0,
      'recovery',
    );
  });

  it('gives up on a discovery that hangs (TIMEOUT) and keeps asking', async () => {
    const api = stagingApi().fail('discovery', 'hang');
    const cache = startCache(api, { requestTimeoutMs: 1000 });
    await cache.whenSettled();
    expect(cache.errors).toEqual([
      expect.objectContaining({ type: 'TIMEOUT', cluster: 'staging-eu' }),
    ]);
    expect(cache.errors[0].kind).toBeUndefined();
    api.fail('discovery', undefined);
    await until(
      () => cache.hasData('Release') && cache.errors.length === 0,
      'recovery',
    );
  });

  it('keeps the last good data of an unreachable cluster, says since when, and recovers', async () => {
    const api = stagingApi();
    const cache = startCache(api);
    await cache.whenSettled();
    await until(
      () => api.openWatches().length === ALL_KINDS.length,
      'every watch',
    );

    for (const plural of PLURALS) {
      api.fail(`list:${plural}`, 'network').fail(`watch:${plural}`, 'network');
    }
    api.endWatches();
    await until(
      () => cache.errors.length === 1 && !cache.errors[0].kind,
      'one cluster-wide error',
    );
    expect(cache.errors[0]).toMatchObject({
      type: 'UNREACHABLE',
      lastSyncedAt: expect.any(String),
    });
    expect(cache.errors[0].kind).toBeUndefined();
    expect(cache.store.size('Release')).toBeGreaterThan(0);
    expect(cache.hasData('Release')).toBe(true);

    for (const plural of PLURALS) {
      api.fail(`list:${plural}`, undefined).fail(`watch:${plural}`, undefined);
    }
    await until(() => cache.errors.length === 0, 'recovery', 5000);
  });

  it('reports a cluster that stops answering, for every kind at once, and clears it at its first answer', async () => {
    const api = stagingApi();
    const changes: Array<string | undefined> = [];
    const cache = startCache(
      api,
      { idleProbeMs: 200, requestTimeoutMs: 1000 },
      (_, ns) => changes.push(ns),
    );
    await cache.whenSettled();
    await until(
      () => api.openWatches().length === ALL_KINDS.length,
      'every watch',
    );
    // Healthy and silent: probed, answered.
    await until(() => api.count('GET', '/version') > 0, 'a probe');
    expect(cache.errors).toEqual([]);

    // Frozen: connections stay open, nothing answers.
    api.fail('version', 'hang');
    const frozen = Date.now();
    changes.length = 0;
    await until(() => cache.errors.length > 0, 'the silence reported');
    const reportedAfterMs = Date.now() - frozen;
    expect(cache.errors).toEqual([
      {
        cluster: 'staging-eu',
        type: 'TIMEOUT',
        message: expect.stringMatching(
          /^Cluster staging-eu does not answer: nothing came from it for \d+ s, and GET \/version got no answer within 1 s/,
        ),
        since: expect.any(String),
        lastSyncedAt: expect.any(String),
      },
    ]);
    // The idle time and a request timeout (1.2 s), not a longer mechanism
    // (a watch's own timeout is minutes): slack for a loaded machine.
    expect(reportedAfterMs).toBeLessThan(5_000);
    expect(changes).toContain(undefined);
    expect(cache.store.size('Release')).toBeGreaterThan(0);

    // It answers again: cleared at once, each watch resumed where it was.
    const lists = api.count('GET', '/apis/', 'limit=');
    const watches = api.count('GET', '/apis/', 'watch=true');
    api.fail('version', undefined);
    await until(() => cache.errors.length === 0, 'recovery');
    await until(
      () =>
        api.count('GET', '/apis/', 'watch=true') === watches + ALL_KINDS.length,
      'every watch resumed',
    );
    expect(api.count('GET', '/apis/', 'limit=')).toBe(lists);
  });

  /** A cache probing after 200 ms of silence (its probe given 1 s: a loaded
   * machine pauses for longer than 300 ms), once every kind is watched. */
  const watchingAll = async (api: FakeKubeApi) => {
    const cache = startCache(api, { idleProbeMs: 200, requestTimeoutMs: 1000 });
    await cache.whenSettled();
    await until(
      () => api.openWatches().length === ALL_KINDS.length,
      'every watch',
    );
    return cache;
  };

  it.each([
    [503, 'no healthy upstream'],
    [504, 'upstream timed out'],
  ])(
    "reports a silent cluster whose gateway answers %i for it, as the gateway's answer is not the API server's, and probes it at most once a second",
    async (code, message) => {
      const api = stagingApi();
      const cache = await watchingAll(api);
      // The watches stay open through the proxy; the API server behind it froze.
      api.fail('version', { status: code, body: { message } });
      await until(() => cache.errors.length > 0, 'the silence reported');
      expect(cache.errors[0]).toMatchObject({
        type: 'TIMEOUT',
        message: expect.stringMatching(
          new RegExp(
            `^Cluster staging-eu does not answer: nothing came from it for \\d+ s, and GET /version was answered ${code} by what stands in front of the API server\\. Its data is shown as it was\\.$`,
          ),
        ),
      });
      // A 504 is a timeout, but one that came back: only silence is probed
      // again at once. A loop without a pause sends hundreds a second.
      const probes = api.count('GET', '/version');
      await new Promise(r => setTimeout(r, 1500));
      expect(api.count('GET', '/version') - probes).toBeLessThanOrEqual(2);
      api.fail('version', undefined);
      await until(() => cache.errors.length === 0, 'recovery', 5000);
    },
  );

  it('reports what a silent cluster says once it refuses connections, not its silence', async () => {
    const api = stagingApi();
    const cache = await watchingAll(api);
    api.fail('version', 'hang');
    await until(
      () => cache.errors.some(e => /does not answer/.test(e.message)),
      'the silence reported',
    );

    // The hung server is killed: connections are refused from now on.
    api.fail('version', 'network');
    for (const plural of PLURALS) api.fail(`watch:${plural}`, 'network');
    await until(
      () =>
        cache.errors.length > 0 &&
        cache.errors.every(e => e.type === 'UNREACHABLE'),
      'the refusal reported',
    );
    expect(cache.errors.some(e => /does not answer/.test(e.message))).toBe(
      false,
    );
  });

  it('does not probe a cluster that keeps talking', async () => {
    const api = stagingApi();
    // Silence of 1 s would be probed; it talks every 50 ms (a stall of
    // most of a second on a loaded machine is still no silence).
    const cache = startCache(api, { idleProbeMs: 1000 });
    await cache.whenSettled();
    await until(
      () => api.openWatches().length === ALL_KINDS.length,
      'every watch',
    );
    const probes = api.count('GET', '/version');
    for (let i = 0; i < 30; i++) {
      api.bookmark(PLURALS[i % PLURALS.length]);
      await new Promise(r => setTimeout(r, 50));
    }
    expect(api.count('GET', '/version')).toBe(probes);
  });

  it('forgets the objects of an optional kind whose CRD is removed, which no DELETED event may have said', async () => {
    const api = stagingApi();
    const artifact = KINDS.ExternalArtifact;
    api.add('ExternalArtifact', {
      apiVersion: `${artifact.group}/${artifact.versions[0]}`,
      kind: 'ExternalArtifact',
      metadata: { name: 'podinfo-chart', namespace: 'apps' },
    });
    const changes: Array<string | undefined> = [];
    const cache = startCache(api, { discoveryIntervalMs: 200 }, (_, ns) =>
      changes.push(ns),
    );
    await cache.whenSettled();
    expect(cache.store.size('ExternalArtifact')).toBe(1);
    changes.length = 0;
    // Flux downgraded: the CRD and its objects are gone at once.
    api.unserve(artifact.group, artifact.versions[0], artifact.plural);
    await until(() => !cache.hasData('ExternalArtifact'), 'the kind forgotten');
    expect(cache.store.size('ExternalArtifact')).toBe(0);
    // Views are told; an optional kind's absence is no error.
    expect(changes).toContain(undefined);
    expect(cache.errors).toEqual([]);
  });

  it('stops watching a kind whose CRD disappears (404 on list) without looping', async () => {
    const api = stagingApi();
    api.failNextLists('helmcharts', {
      status: 404,
      body: status(
        404,
        'NotFound',
        'the server could not find the requested resource',
      ),
    });
    const cache = startCache(api);
    await cache.whenSettled();
    await new Promise(r => setTimeout(r, 300));
    expect(cache.errors).toEqual([
      expect.objectContaining({
        type: 'NOT_INSTALLED',
        kind: 'HelmChart',
        // What discovery says of a missing CRD, not the request's 404.
        message:
          'HelmChart (helmcharts.source.toolkit.fluxcd.io) is not installed on cluster staging-eu: install its CRD (Flux) or remove the cluster from gitopsPromotion.environments.',
      }),
    ]);
    expect(
      api.count('GET', '/apis/source.toolkit.fluxcd.io/v1/helmcharts'),
    ).toBe(1);
  });
});
