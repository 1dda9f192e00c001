import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ClusterError } from '@gitops-promotion/backstage-plugin-common';
import {
  BASE_URL,
  FakeBackend,
  Scenario,
} from '../../__testUtils__/fakeBackend';
import { fakeSignals, renderTab } from '../../__testUtils__/renderTab';
import {
  agesOf,
  clusterErrorsScenario,
  entityWith,
  paymentsScenario,
  podinfoScenario,
  UNREACHABLE,
} from '../../__testUtils__/scenarios';

// Renders of a matrix cell and of the comparison's columns, counted by
// wrappers around the real components.
const mockRenders = { cells: 0, columns: 0 };
function mockCountingRenders(
  path: string,
  component: string,
  counter: keyof typeof mockRenders,
) {
  const actual = jest.requireActual(path);
  return {
    ...actual,
    [component]: (props: object) => {
      const render = actual[component];
      mockRenders[counter]++;
      return render(props);
    },
  };
}
jest.mock('../PromotionMatrix/EnvironmentCell', () =>
  mockCountingRenders(
    '../PromotionMatrix/EnvironmentCell',
    'EnvironmentCell',
    'cells',
  ),
);
jest.mock('../CompareEnvironments/EnvironmentColumns', () =>
  mockCountingRenders(
    '../CompareEnvironments/EnvironmentColumns',
    'EnvironmentColumns',
    'columns',
  ),
);

const server = setupServer();
registerMswTestHooks(server);

function serve(scenario: Scenario) {
  const backend = new FakeBackend(scenario);
  server.use(...backend.handlers());
  return backend;
}

const matrix = () =>
  screen.findByRole('table', { name: 'Versions and states per environment' });

/** Development on dev-eu and staging on staging-eu. */
const devAndStaging = (
  annotations: Scenario['annotations'],
  clusters: Scenario['clusters'],
): Scenario => ({
  annotations,
  environments: [
    { name: 'development', clusters: [{ cluster: 'dev-eu' }] },
    { name: 'staging', clusters: [{ cluster: 'staging-eu' }] },
  ],
  clusters,
});

/** A cluster that holds nothing and reports these errors. */
const erring = (
  cluster: string,
  errors: Array<Omit<ClusterError, 'cluster' | 'since'>>,
) => ({
  objects: [],
  errors: errors.map(e => ({
    ...e,
    cluster,
    since: new Date().toISOString(),
  })),
});

describe('PromotionTab: empty and error states', () => {
  it('names the annotations when the entity has none, without asking the backend', async () => {
    const backend = serve(podinfoScenario());
    renderTab(entityWith({}));
    expect(
      await screen.findByText('gitops-promotion/kubocd-releases'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('gitops-promotion/label-selector'),
    ).toBeInTheDocument();
    expect(backend.requests).toHaveLength(0);
  });

  it('says what was searched and where when nothing is found', async () => {
    const scenario: Scenario = {
      ...paymentsScenario(),
      annotations: { 'gitops-promotion/helm-releases': 'billing' },
      environments: [
        { name: 'development', clusters: [{ cluster: 'dev-eu' }] },
        {
          name: 'staging',
          clusters: [{ cluster: 'shared', namespaces: ['team-staging'] }],
        },
      ],
    };
    serve(scenario);
    renderTab(entityWith(scenario.annotations));
    expect(
      await screen.findByText('No workload found for this entity'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Flux HelmRelease billing (any namespace), from gitops-promotion/helm-releases',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('development: dev-eu')).toBeInTheDocument();
    expect(
      screen.getByText('staging: shared (namespaces team-staging)'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });

  describe('with clusters that could not be read', () => {
    const never = (cluster: string) =>
      erring(cluster, [
        {
          type: 'UNAUTHORIZED',
          message: `Cluster ${cluster} rejected the credentials (401).`,
        },
      ]);
    const scenario = devAndStaging(
      { 'gitops-promotion/helm-releases': 'billing' },
      { 'dev-eu': never('dev-eu'), 'staging-eu': never('staging-eu') },
    );

    it('does not say "no workload found" when none could be read', async () => {
      serve(scenario);
      renderTab(entityWith(scenario.annotations));
      expect(
        await screen.findByText('No cluster of the environments could be read'),
      ).toBeInTheDocument();
      expect(
        screen.queryByText('No workload found for this entity'),
      ).toBeNull();
      expect(
        screen.getByText('Cluster dev-eu rejected the credentials (401).', {
          exact: false,
        }),
      ).toBeInTheDocument();
    });

    it('names those it could not search when the others hold nothing', async () => {
      serve({
        ...scenario,
        clusters: { ...scenario.clusters, 'dev-eu': { objects: [] } },
      });
      renderTab(entityWith(scenario.annotations));
      expect(
        await screen.findByText('No workload found for this entity'),
      ).toBeInTheDocument();
      expect(
        screen.getByText(/Not searched: staging-eu, which could not be read/),
      ).toBeInTheDocument();
      expect(screen.getByText('development: dev-eu')).toBeInTheDocument();
      expect(
        screen.getByText('staging: staging-eu (not read)'),
      ).toBeInTheDocument();
    });
  });

  it('counts a cluster that lacks one kind as read: a Flux-only cluster without KuboCD', async () => {
    // A label selector searches all three kinds; these clusters have no
    // Release CRD, and hold no HelmRelease or Kustomization so labelled.
    const noRelease = (cluster: string) =>
      erring(cluster, [
        {
          type: 'NOT_INSTALLED',
          kind: 'Release',
          message: `Release CRD not installed on cluster ${cluster}.`,
        },
      ]);
    const scenario = devAndStaging(
      { 'gitops-promotion/label-selector': 'app=billing' },
      { 'dev-eu': noRelease('dev-eu'), 'staging-eu': noRelease('staging-eu') },
    );
    serve(scenario);
    renderTab(entityWith(scenario.annotations));
    expect(
      await screen.findByText('No workload found for this entity'),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('No cluster of the environments could be read'),
    ).toBeNull();
    expect(screen.queryByText(/Not searched/)).toBeNull();
    expect(screen.getByText('development: dev-eu')).toBeInTheDocument();
    expect(screen.getByText('staging: staging-eu')).toBeInTheDocument();
  });

  it('counts a cluster none of whose searched kinds could be read as not read', async () => {
    const forbidden = (cluster: string) =>
      erring(
        cluster,
        (['Release', 'HelmRelease', 'Kustomization'] as const).map(kind => ({
          type: 'FORBIDDEN',
          kind,
          message: `Not allowed to read ${kind} on cluster ${cluster}.`,
        })),
      );
    const scenario = devAndStaging(
      { 'gitops-promotion/label-selector': 'app=billing' },
      { 'dev-eu': { objects: [] }, 'staging-eu': forbidden('staging-eu') },
    );
    serve(scenario);
    renderTab(entityWith(scenario.annotations));
    expect(
      await screen.findByText(
        /Not searched: staging-eu, which could not be read/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('staging: staging-eu (not read)'),
    ).toBeInTheDocument();
  });

  it('names an unusable annotation, its value and why', async () => {
    const scenario: Scenario = {
      ...podinfoScenario(),
      annotations: { 'gitops-promotion/kubocd-releases': 'Podinfo_Bad!' },
    };
    serve(scenario);
    renderTab(entityWith(scenario.annotations));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Annotation gitops-promotion/kubocd-releases cannot be used',
    );
    expect(alert).toHaveTextContent(
      'Value Podinfo_Bad!: "Podinfo_Bad!" is not a valid Release name',
    );
    // Nothing valid was searched for: no "nothing found" on top.
    expect(screen.queryByText('No workload found for this entity')).toBeNull();
  });

  it('shows an annotation problem above the data of the valid entries', async () => {
    const scenario: Scenario = {
      ...podinfoScenario(),
      annotations: {
        'gitops-promotion/kubocd-releases': 'apps/podinfo, Bad_Name',
      },
    };
    serve(scenario);
    renderTab(entityWith(scenario.annotations));
    const table = await matrix();
    const problem = screen.getByText(
      'Annotation gitops-promotion/kubocd-releases cannot be used',
    );
    expect(
      problem.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });

  it('shows a backend error in an error panel', async () => {
    const backend = serve(podinfoScenario());
    backend.fail(500, 'Error', 'the view could not be built');
    renderTab(entityWith(podinfoScenario().annotations));
    // Titled in the plugin's words, with the server's message.
    expect(
      await screen.findByText(
        'Error: Could not load where this entity runs: the view could not be built (500)',
      ),
    ).toBeInTheDocument();
    // The server's message is in the panel's details.
    expect(
      screen.getAllByText(/the view could not be built/)[0],
    ).toBeInTheDocument();
  });
});

// usePermission caches decisions per entity across tests: each test below
// uses its own entity.
describe('PromotionTab: view permission', () => {
  const denial = 'Warning: You are not allowed to see where this entity runs';

  it('explains a denial by the policy in a warning, without asking the backend', async () => {
    const backend = serve(podinfoScenario());
    const { authorize } = renderTab(
      entityWith(podinfoScenario().annotations, 'podinfo-denied'),
      { canView: false },
    );
    const warning = await screen.findByRole('alert');
    expect(warning).toHaveTextContent(denial);
    expect(warning).toHaveTextContent(
      "Your permission policy does not grant gitops-promotion.view on component:default/podinfo-denied. Ask the entity's owners or your Backstage administrators for access.",
    );
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({ name: 'gitops-promotion.view' }),
        resourceRef: 'component:default/podinfo-denied',
      }),
    );
    expect(backend.requests).toHaveLength(0);
  });

  it('tells a failed permission check from a denial', async () => {
    const backend = serve(podinfoScenario());
    renderTab(entityWith(podinfoScenario().annotations, 'podinfo-unchecked'), {
      canView: new Error('permission backend unreachable'),
    });
    const panel = await screen.findByText(
      /Could not ask the permission framework whether you may see where this entity runs/,
    );
    expect(panel).toBeInTheDocument();
    expect(
      screen.getAllByText(/permission backend unreachable/)[0],
    ).toBeInTheDocument();
    expect(screen.queryByText(denial)).toBeNull();
    expect(backend.requests).toHaveLength(0);
  });

  it("explains the backend's 403 the same way, with its message, and drops the data shown", async () => {
    const scenario = paymentsScenario();
    const backend = serve(scenario);
    renderTab(entityWith(scenario.annotations, 'payments-revoked'));
    await matrix();
    backend.fail(403, 'NotAllowedError', 'you may no longer view this');
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    const warning = await screen.findByRole('alert');
    expect(warning).toHaveTextContent(denial);
    expect(warning).toHaveTextContent('you may no longer view this (403)');
    expect(screen.queryByRole('table')).toBeNull();
  });
});

describe('PromotionTab: cluster errors', () => {
  it('lists failing clusters beside the data of the others', async () => {
    const scenario = clusterErrorsScenario();
    const [devEu] = scenario.clusters['dev-eu'].errors!;
    serve(scenario);
    renderTab(entityWith(scenario.annotations));
    await matrix();
    const banner = screen.getByRole('region', { name: 'Cluster errors' });
    const alerts = banner.querySelectorAll('.MuiAlert-root');
    expect([...alerts].map(a => a.textContent)).toEqual([
      'sandbox-carol: credentials rejected (401)Cluster sandbox-carol rejected the credentials (401) on discovery (/apis): check serviceAccountToken in kubernetes.clusterLocatorMethods.Since 2h ago · no data yet',
      expect.stringMatching(
        new RegExp(
          `^dev-eu: API version of HelmRelease not served: a beta version is used insteadhelm\\.toolkit\\.fluxcd\\.io/v2 is not served on cluster dev-eu \\(Flux older than 2\\.3\\?\\); reading HelmRelease at v2beta2 instead\\.Since 24h ago · data shown is from ${agesOf(
            devEu.lastSyncedAt!,
            0,
          )} ago$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^prod-us: cannot reach the API serverCannot reach the API server of cluster prod-us \\(ECONNREFUSED\\): check its url and the network path from the backend\\.Since ${agesOf(
            UNREACHABLE.since,
            0.25,
          )} ago · data shown is from ${agesOf(
            UNREACHABLE.lastSyncedAt!,
            0.3,
          )} ago$`,
        ),
      ),
    ]);
    // Announced without the ages, which tick.
    expect(
      within(banner)
        .getAllByRole('alert')
        .map(a => a.textContent),
    ).toEqual([
      'sandbox-carol: credentials rejected (401)Cluster sandbox-carol rejected the credentials (401) on discovery (/apis): check serviceAccountToken in kubernetes.clusterLocatorMethods.',
      'dev-eu: API version of HelmRelease not served: a beta version is used insteadhelm.toolkit.fluxcd.io/v2 is not served on cluster dev-eu (Flux older than 2.3?); reading HelmRelease at v2beta2 instead.',
      'prod-us: cannot reach the API serverCannot reach the API server of cluster prod-us (ECONNREFUSED): check its url and the network path from the backend.',
    ]);
    // The healthy clusters' data is still there, the failing ones marked.
    expect(
      screen.getByRole('button', {
        name: /^payments-api in development: Ready/,
      }),
    ).toBeInTheDocument();
    // Its only cluster never answered: unknown, not "not deployed".
    const sandbox = screen.getByRole('button', {
      name: /^payments-api in sandbox:/,
    });
    expect(sandbox).toHaveTextContent(/^—Unknownno data: sandbox-carol$/);
    expect(sandbox).toHaveAccessibleName(
      'payments-api in sandbox: Unknown, no data from sandbox-carol',
    );
    expect(
      screen.getByRole('button', { name: /^payments-api in production:/ }),
    ).toHaveTextContent('2/2 readystale data: prod-us');
  });
});

describe('PromotionTab: fresh data', () => {
  // Polls are at least a second apart: tests move the clock on.
  const tick = (ms: number) => act(() => jest.advanceTimersByTimeAsync(ms));
  /** payments-api's tab, once its matrix shows; returns the backend. */
  async function showPayments(options: Parameters<typeof renderTab>[1] = {}) {
    const scenario = paymentsScenario();
    const backend = serve(scenario);
    renderTab(entityWith(scenario.annotations), options);
    await matrix();
    return backend;
  }
  /** Staging gets development's clusters, so it runs 2.4.0 instead of 2.3.0. */
  function promoteStaging(backend: FakeBackend) {
    const promoted = paymentsScenario();
    promoted.clusters['staging-eu'] = promoted.clusters['dev-eu'];
    backend.update(promoted);
  }
  const stagingShows = (version: string) =>
    waitFor(() =>
      expect(
        screen.getByRole('button', { name: /^payments-api in staging:/ }),
      ).toHaveTextContent(version),
    );
  /**
   * Until the view was asked for at least `n` times: Jest's clock also runs
   * with real time, which a loaded machine stretches past a poll.
   */
  const polled = (backend: FakeBackend, n: number) =>
    waitFor(() =>
      expect(backend.requestsTo('/promotion').length).toBeGreaterThanOrEqual(n),
    );
  /** Time between the view requests, on Jest's clock. */
  const gaps = (backend: FakeBackend) =>
    backend
      .requestsTo('/promotion')
      .slice(1)
      .map((r, i) => r.at - backend.requestsTo('/promotion')[i].at);
  afterEach(() => {
    jest.useRealTimers();
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => 'visible',
    });
  });

  it('polls with If-None-Match: a 304 keeps the view without rendering it again, a change shows', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const backend = await showPayments({ config: { refreshInterval: '1s' } });
    await screen.findByRole('group', {
      name: 'Helm values of staging and production',
    });
    const loaded = { ...mockRenders };
    // Polls are chained: the fourth is sent once the 304s of the second and
    // third were applied.
    for (const n of [2, 3, 4]) {
      await tick(1000);
      await polled(backend, n);
    }
    const [first, second] = backend.requestsTo('/promotion');
    expect(first.headers.get('If-None-Match')).toBeNull();
    expect(second.headers.get('If-None-Match')).toBe('"view-1"');
    expect(
      screen.getByRole('button', { name: /^payments-api in staging:/ }),
    ).toHaveTextContent('2.3.0');
    // The client hands back the view it holds: the matrix and the comparison
    // are not rendered again for it.
    expect(mockRenders).toEqual(loaded);

    promoteStaging(backend);
    await tick(1000);
    await stagingShows('2.4.0');
    expect(mockRenders.cells).toBeGreaterThan(loaded.cells);
    expect(mockRenders.columns).toBeGreaterThan(loaded.columns);
  });

  it('polls at most once a second, whatever the configuration says', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const backend = await showPayments({ config: { refreshInterval: '0s' } });
    for (const n of [2, 3]) {
      await tick(1000);
      await polled(backend, n);
    }
    expect(gaps(backend).every(gap => gap >= 1000)).toBe(true);
  });

  it('still reads the deprecated refreshIntervalSeconds, warning once in the console', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    jest.useFakeTimers({ advanceTimers: true });
    const backend = await showPayments({
      config: { refreshIntervalSeconds: 2 },
    });
    for (const n of [2, 3]) {
      await tick(2000);
      await polled(backend, n);
    }
    expect(gaps(backend).every(gap => gap >= 2000)).toBe(true);
    expect(
      warn.mock.calls.filter(([m]) => String(m).includes('refreshInterval')),
    ).toEqual([
      [
        'gitopsPromotion.refreshIntervalSeconds is deprecated and will be removed in the next release; write gitopsPromotion.refreshInterval: { seconds: 2 } instead',
      ],
    ]);
    warn.mockRestore();
  });

  it('asks again at once when a signal names a cluster and namespace the view reads', async () => {
    const signals = fakeSignals();
    const backend = await showPayments({ signals: signals.api });
    // The view, and the two cells the comparison shows once mounted.
    await waitFor(() =>
      expect(signals.subscribed('gitops-promotion:changes')).toBe(3),
    );
    expect(backend.requestsTo('/promotion')).toHaveLength(1);
    const stagingCell = '/cells/staging/HelmRelease/payments-api';
    await waitFor(() =>
      expect(backend.requestsTo(stagingCell)).toHaveLength(1),
    );

    // payments-api reads payments (its HelmRelease) and flux-system (its chart source).
    signals.send('gitops-promotion:changes', {
      changes: [
        { cluster: 'staging-eu', namespaces: ['apps'] },
        { cluster: 'sandbox-alice' },
      ],
    });
    promoteStaging(backend);
    signals.send('gitops-promotion:changes', {
      changes: [{ cluster: 'staging-eu', namespaces: ['payments'] }],
    });
    await stagingShows('2.4.0');
    await new Promise(r => setTimeout(r, 100));
    expect(backend.requestsTo('/promotion')).toHaveLength(2);
    // The compared cell follows the same signals.
    expect(backend.requestsTo(stagingCell)).toHaveLength(2);

    // A change to the shared chart source in flux-system counts too.
    signals.send('gitops-promotion:changes', {
      changes: [{ cluster: 'prod-us', namespaces: ['flux-system'] }],
    });
    await waitFor(() =>
      expect(backend.requestsTo('/promotion')).toHaveLength(3),
    );
  });

  it('polls only every minute where signals bring changes', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const backend = await showPayments({
      config: { refreshInterval: '1s' },
      signals: fakeSignals().api,
    });
    await tick(60_000);
    await waitFor(() =>
      expect(backend.requestsTo('/promotion')).toHaveLength(2),
    );
    expect(gaps(backend)[0]).toBeGreaterThanOrEqual(60_000);
  });

  it('asks once more after the request in flight when signals come during it', async () => {
    const signals = fakeSignals();
    const backend = await showPayments({ signals: signals.api });
    // The next request is answered late, with the view from before the change.
    const before = backend.currentView;
    let answer = () => {};
    const answered = new Promise<void>(resolve => {
      answer = resolve;
    });
    let held = 0;
    server.use(
      http.get(
        `${BASE_URL}/v1/entities/:namespace/:kind/:name/promotion`,
        async () => {
          held++;
          await answered;
          return HttpResponse.json(before, { headers: { ETag: '"view-1"' } });
        },
        { once: true },
      ),
    );
    // Each message is a new object, as parsed from the WebSocket.
    const change = () =>
      signals.send('gitops-promotion:changes', {
        changes: [{ cluster: 'staging-eu', namespaces: ['payments'] }],
      });
    change();
    promoteStaging(backend);
    change();
    change();
    answer();
    await stagingShows('2.4.0');
    await new Promise(r => setTimeout(r, 100));
    expect(held).toBe(1);
    // The first load and one request after the held one, for both signals.
    expect(backend.requestsTo('/promotion')).toHaveLength(2);
  });

  it('pauses while the browser tab is hidden and asks again when shown', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const backend = await showPayments({ config: { refreshInterval: '1s' } });
    const setVisibility = (state: string) => {
      Object.defineProperty(document, 'visibilityState', {
        configurable: true,
        get: () => state,
      });
      act(() => {
        document.dispatchEvent(new Event('visibilitychange'));
      });
    };
    setVisibility('hidden');
    // A poll sent before the tab was hidden (a loaded machine's real time
    // runs Jest's clock too) is answered first.
    await tick(0);
    const before = backend.requestsTo('/promotion').length;
    await tick(5000);
    expect(backend.requestsTo('/promotion')).toHaveLength(before);
    setVisibility('visible');
    await polled(backend, before + 1);
  });

  it('refreshes on demand and says when the backend last answered', async () => {
    const scenario = paymentsScenario();
    const backend = serve(scenario);
    // Nothing changed for 2 h: the view keeps its generatedAt, polls get 304.
    backend.currentView.generatedAt = new Date(
      Date.now() - 2 * 3600_000,
    ).toISOString();
    renderTab(entityWith(scenario.annotations));
    await matrix();
    const checked = () =>
      screen.getByText(/^Updated/).querySelector('time')!.dateTime;
    expect(screen.getByText(/^Updated/)).toHaveTextContent(/^Updated \ds ago$/);
    const first = checked();
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(checked()).not.toBe(first));
    const [, again] = backend.requestsTo('/promotion');
    expect(again.headers.get('If-None-Match')).toBe('"view-1"');
    expect(screen.getByText(/^Updated/)).toHaveTextContent(/^Updated \ds ago$/);
  });

  it('keeps the last view when a refresh fails', async () => {
    const backend = await showPayments();
    backend.fail(503, 'ServiceUnavailableError', 'backend restarting');
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(
      await screen.findByText(
        'Could not refresh (backend restarting (503)): showing the last data received.',
      ),
    ).toBeInTheDocument();
    expect(await matrix()).toBeInTheDocument();
  });
});
