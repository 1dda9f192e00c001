import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import { http } from 'msw';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { useLocation, useNavigate } from 'react-router-dom';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { PromotionTab } from '../PromotionTab/PromotionTab';
import { FakeBackend, Policy, Scenario } from '../../__testUtils__/fakeBackend';
import {
  helmRepository,
  notReady,
  release,
  releaseWithChildren,
} from '@gitops-promotion/backstage-plugin-common/testUtils';
import { fakeSignals, renderTab } from '../../__testUtils__/renderTab';
import { SignalApi } from '@backstage/plugin-signals-react';
import {
  agesOf,
  clusterErrorsScenario,
  entityWith,
  fleetScenario,
  hoursAgo,
  paymentsScenario,
  podinfoScenario,
  statesScenario,
  UNREACHABLE,
} from '../../__testUtils__/scenarios';

// Each test renders the whole tab and opens a drawer: the first took 4.6-5.4 s
// on a loaded 2-core machine, at the edge of Jest's default 5 s.
jest.setTimeout(20_000);

const server = setupServer();
registerMswTestHooks(server);

async function showTab(
  scenario: Scenario,
  options: { policy?: Policy; signals?: SignalApi } = {},
) {
  const backend = new FakeBackend(scenario);
  if (options.policy) backend.setPolicy(options.policy);
  server.use(...backend.handlers());
  renderTab(entityWith(scenario.annotations), { signals: options.signals });
  await screen.findByRole('table', {
    name: 'Versions and states per environment',
  });
  return { backend };
}

const cellButton = (name: RegExp) => screen.getByRole('button', { name });

/** Shows the tab and opens podinfo's staging cell. */
async function openStagingDrawer(
  scenario: Scenario,
  options: { policy?: Policy } = {},
) {
  const tab = await showTab(scenario, options);
  await userEvent.click(cellButton(/^podinfo in Staging:/));
  return { ...tab, drawer: await screen.findByRole('dialog') };
}

/**
 * Opens podinfo's staging drawer at its root cause, the OCIRepository whose
 * pull fails, with its events; `reconcileInto` has the backend answer with
 * `next` and presses Reconcile.
 */
async function openStagingSource(scenario: Scenario) {
  const { backend, drawer } = await openStagingDrawer(scenario);
  const events = await within(drawer).findByRole('table', {
    name: 'Events of OCIRepository apps/kcd-podinfo',
  });
  const reconcileInto = async (next: Scenario) => {
    backend.update(next);
    await userEvent.click(
      within(drawer).getByRole('button', {
        name: 'Reconcile OCIRepository kcd-podinfo',
      }),
    );
  };
  return { drawer, events, reconcileInto };
}

describe('CellDrawer', () => {
  it("opens the drill-down the URL names (a notification's link), closes it, and opens cells on click still", async () => {
    const scenario = podinfoScenario();
    server.use(...new FakeBackend(scenario).handlers());
    renderTab(entityWith(scenario.annotations), {
      path: '/?workload=Release%2Fpodinfo&environment=staging',
    });
    const drawer = await screen.findByRole('dialog', {
      name: 'podinfo in Staging',
    });
    expect(within(drawer).getByText('Credentials rejected')).toBeVisible();
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    // Opening another cell still works through the same parameters.
    await userEvent.click(cellButton(/^podinfo in Staging:/));
    expect(
      await screen.findByRole('dialog', { name: 'podinfo in Staging' }),
    ).toBeVisible();
  });

  it('closes for good when a refresh no longer has its cell, says so where the focus goes, and does not open again when the cell comes back', async () => {
    const signals = fakeSignals();
    const { backend } = await showTab(podinfoScenario(), {
      signals: signals.api,
    });
    const changed = () =>
      signals.send('gitops-promotion:changes', {
        changes: [{ cluster: 'staging-eu' }],
      });
    await userEvent.click(cellButton(/^podinfo in Staging:/));
    await screen.findByRole('dialog', { name: 'podinfo in Staging' });

    // Removed from every cluster: the next view has no row for it.
    const removed = podinfoScenario();
    for (const cluster of Object.values(removed.clusters)) cluster.objects = [];
    backend.update(removed);
    changed();
    const said = await screen.findByText(
      "Release/podinfo in Staging is not in this view: it was removed from the environment's clusters, this entity's annotations no longer select it, or its clusters have not answered yet.",
    );
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(said.closest('[tabindex="-1"]')).toHaveFocus();

    // Back: the row shows again, the drawer stays closed.
    backend.update(podinfoScenario());
    changed();
    await screen.findByRole('button', { name: /^podinfo in Staging:/ });
    expect(screen.queryByRole('dialog')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByText(/is not in this view/)).toBeNull();
  });

  it('says so when a link names a cell the view does not have, and opens it once it comes', async () => {
    const signals = fakeSignals();
    // The workload not read yet (its clusters still syncing, say).
    const syncing = podinfoScenario();
    for (const cluster of Object.values(syncing.clusters)) {
      cluster.objects = [];
    }
    const backend = new FakeBackend(syncing);
    server.use(...backend.handlers());
    renderTab(entityWith(syncing.annotations), {
      path: '/?workload=Release%2Fpodinfo&environment=staging',
      signals: signals.api,
    });
    expect(
      await screen.findByText(
        /^Release\/podinfo in Staging is not in this view/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).toBeNull();

    backend.update(podinfoScenario());
    signals.send('gitops-promotion:changes', {
      changes: [{ cluster: 'staging-eu', namespaces: ['apps'] }],
    });
    expect(
      await screen.findByRole('dialog', { name: 'podinfo in Staging' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/is not in this view/)).toBeNull();
  });

  it('dismisses for good the notice of a linked cell the view never had, and gives up the link', async () => {
    const signals = fakeSignals();
    const backend = new FakeBackend(podinfoScenario());
    server.use(...backend.handlers());
    // The URL the tab is at, as a reload would open it.
    let search = '';
    function Location() {
      search = useLocation().search;
      return null;
    }
    renderTab(entityWith(podinfoScenario().annotations), {
      path: '/?workload=Release%2Fnope&environment=staging',
      signals: signals.api,
      wrap: tab => (
        <>
          {tab}
          <Location />
        </>
      ),
    });
    const said = await screen.findByText(
      /^Release\/nope in Staging is not in this view/,
    );
    expect(said.closest('[tabindex="-1"]')).toHaveFocus();
    expect(new URLSearchParams(search).get('workload')).toBe('Release/nope');
    const close = screen.getByRole('button', { name: 'Close' });
    close.focus();
    await userEvent.click(close);
    expect(screen.queryByText(/is not in this view/)).toBeNull();
    // The link is given up: a reload does not bring the notice back.
    await waitFor(() =>
      expect(new URLSearchParams(search).has('workload')).toBe(false),
    );
    // A refresh with a new view does not bring it back, nor does it take the focus.
    const cell = cellButton(/^podinfo in Staging:/);
    cell.focus();
    const next = podinfoScenario();
    next.clusters['staging-eu'].objects = releaseWithChildren(
      'podinfo',
      'apps',
      {
        tag: '6.8.0-p01',
      },
    );
    backend.update(next);
    signals.send('gitops-promotion:changes', {
      changes: [{ cluster: 'staging-eu' }],
    });
    expect(
      await screen.findByRole('button', {
        name: /^podinfo in Staging: .*6\.8\.0-p01/,
      }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/is not in this view/)).toBeNull();
    expect(cellButton(/^podinfo in Staging:/)).toHaveFocus();
  });

  it("does not carry one entity's notice over to the next entity's tab", async () => {
    const backend = new FakeBackend(podinfoScenario());
    server.use(...backend.handlers());
    const { annotations } = podinfoScenario();
    // The entity page the route names, as the catalog's entity pages do.
    function EntityPage() {
      const { pathname } = useLocation();
      const navigate = useNavigate();
      const name = pathname === '/other' ? 'other' : 'podinfo';
      return (
        <>
          <button onClick={() => navigate('/other')}>Go to other</button>
          <button
            onClick={() =>
              navigate('/?workload=Release%2Fnope&environment=staging')
            }
          >
            Go to podinfo
          </button>
          <EntityProvider entity={entityWith(annotations, name)}>
            <PromotionTab />
          </EntityProvider>
        </>
      );
    }
    // Other first: its view permission is then known, and going back to
    // it does not wait for the check (which would mount the tab anew).
    renderTab(entityWith(annotations), {
      path: '/other',
      wrap: () => <EntityPage />,
    });
    await waitFor(() =>
      expect(backend.requestsTo('/component/other/promotion')).not.toEqual([]),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Go to podinfo' }),
    );
    await screen.findByText(/^Release\/nope in Staging is not in this view/);
    const asked = backend.requestsTo('/component/other/promotion').length;
    await userEvent.click(screen.getByRole('button', { name: 'Go to other' }));
    await waitFor(() =>
      expect(
        backend.requestsTo('/component/other/promotion').length,
      ).toBeGreaterThan(asked),
    );
    await waitFor(() =>
      expect(cellButton(/^podinfo in Staging:/)).toBeVisible(),
    );
    expect(screen.queryByText(/is not in this view/)).toBeNull();
  });

  it('gives the focus to its cell on close when a link opened it', async () => {
    const scenario = podinfoScenario();
    server.use(...new FakeBackend(scenario).handlers());
    renderTab(entityWith(scenario.annotations), {
      path: '/?workload=Release%2Fpodinfo&environment=staging',
    });
    await screen.findByRole('dialog', { name: 'podinfo in Staging' });
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(cellButton(/^podinfo in Staging:/)).toHaveFocus();

    // So too with the close button.
    await userEvent.click(cellButton(/^podinfo in Staging:/));
    await screen.findByRole('dialog', { name: 'podinfo in Staging' });
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(cellButton(/^podinfo in Staging:/)).toHaveFocus();
  });

  it('opens on click with the root cause, the phase, the commands and the events', async () => {
    const { backend } = await showTab(podinfoScenario());
    await userEvent.click(cellButton(/^podinfo in Staging: Failed/));

    const drawer = await screen.findByRole('dialog', {
      name: 'podinfo in Staging',
    });
    const cluster = within(drawer).getByRole('region', { name: 'staging-eu' });
    expect(within(cluster).getByText('Credentials rejected')).toBeVisible();
    expect(within(cluster).getByText('KuboCD phase WAIT_OCI')).toBeVisible();
    expect(
      within(cluster).getByText(
        /^OCIRepository apps\/kcd-podinfo cannot pull oci:\/\/quay\.io\/kubodoc\/packages\/podinfo:6\.7\.1-p02 \(credentials rejected\): .*UNAUTHORIZED/,
      ),
    ).toBeVisible();
    const command = within(cluster).getByText(
      'kubectl --context staging-eu -n apps describe ocirepository kcd-podinfo',
    );
    expect(command.tagName).toBe('CODE');
    expect(
      within(command.parentElement!).getByRole('button', {
        name: 'Copy command',
      }),
    ).toBeInTheDocument();

    // The root cause's events are loaded at once from the object endpoint.
    const events = await within(cluster).findByRole('table', {
      name: 'Events of OCIRepository apps/kcd-podinfo',
    });
    expect(within(events).getByText('OCIArtifactPullFailed')).toBeVisible();
    expect(within(events).getByText('42')).toBeVisible();
    const [request] = backend.requestsTo(
      '/source.toolkit.fluxcd.io/v1/ocirepositories/apps/kcd-podinfo',
    );
    expect(request.url.pathname).toBe(
      '/api/gitops-promotion/v1/entities/default/component/podinfo/objects/staging-eu/source.toolkit.fluxcd.io/v1/ocirepositories/apps/kcd-podinfo',
    );
  });

  it('reads a link again when its events are shown again after a failed read', async () => {
    const { backend, drawer } = await openStagingDrawer(podinfoScenario());
    const cluster = await within(drawer).findByRole('region', {
      name: 'staging-eu',
    });
    // The root cause's events load at once; then the backend fails.
    await within(cluster).findByRole('table', {
      name: 'Events of OCIRepository apps/kcd-podinfo',
    });
    backend.fail(503, 'ServiceUnavailableError', 'TIMEOUT: Cluster staging-eu');
    const [show] = within(cluster).getAllByRole('button', {
      name: 'Show events',
    });
    await userEvent.click(show);
    expect(
      await within(cluster).findByText(/^Could not load events: .*TIMEOUT/),
    ).toBeVisible();
    const path = backend.requests.at(-1)!.url.pathname;
    expect(backend.requestsTo(path)).toHaveLength(1);

    backend.recover();
    await userEvent.click(
      // The Release's, first in the chain.
      within(cluster).getAllByRole('button', { name: 'Hide events' })[0],
    );
    await userEvent.click(
      within(cluster).getAllByRole('button', { name: 'Show events' })[0],
    );
    await waitFor(() => expect(backend.requestsTo(path)).toHaveLength(2));
    await waitFor(() =>
      expect(within(cluster).queryByText(/^Could not load events/)).toBeNull(),
    );
  });

  it('loads its cell when it opens, from the cell route, with its own ETag', async () => {
    const { backend } = await showTab(fleetScenario());
    const sandboxCell = '/cells/sandbox/Release/podinfo';
    // The page view carries no chains; nothing asked for the cell yet.
    expect(backend.requestsTo(sandboxCell)).toHaveLength(0);
    await userEvent.click(cellButton(/^podinfo in sandbox:/));
    const drawer = await screen.findByRole('dialog', {
      name: 'podinfo in sandbox',
    });
    await within(drawer).findByRole('region', { name: 'sandbox-07' });
    expect(backend.requestsTo(sandboxCell)).toHaveLength(1);
    expect(
      backend.requestsTo(sandboxCell)[0].headers.get('If-None-Match'),
    ).toBeNull();
    // An action brings the cell again, with its ETag: unchanged, a 304.
    await userEvent.click(
      within(drawer).getByRole('button', {
        name: 'Reconcile OCIRepository kcd-podinfo',
      }),
    );
    await waitFor(() =>
      expect(backend.requestsTo(sandboxCell)).toHaveLength(2),
    );
    expect(
      backend.requestsTo(sandboxCell)[1].headers.get('If-None-Match'),
    ).toBe('"cell-1-sandbox-Release/podinfo-"');
    expect(
      within(drawer).getByRole('region', { name: 'sandbox-07' }),
    ).toBeVisible();
  });

  it('keeps a 50-cluster environment usable: the failing cluster in full, the Ready ones in a compact list', async () => {
    const { backend } = await showTab(fleetScenario());
    await userEvent.click(cellButton(/^podinfo in sandbox:/));
    const drawer = await screen.findByRole('dialog', {
      name: 'podinfo in sandbox',
    });
    const failing = await within(drawer).findByRole('region', {
      name: 'sandbox-07',
    });
    expect(within(failing).getByText('Credentials rejected')).toBeVisible();
    // One chain shown, not 50.
    expect(
      within(drawer).getAllByRole('heading', { name: 'Chain' }),
    ).toHaveLength(1);
    const ready = within(drawer).getByRole('region', {
      name: 'Ready in 49 more clusters',
    });
    const buttons = within(ready).getAllByRole('button');
    expect(buttons).toHaveLength(49);
    expect(buttons[0]).toHaveTextContent('sandbox-00 · 6.7.1-p01');
    expect(
      within(ready).getByRole('button', { name: 'sandbox-42 · 6.7.1-p00' }),
    ).toHaveAttribute('aria-expanded', 'false');

    await userEvent.click(
      within(ready).getByRole('button', { name: 'sandbox-42 · 6.7.1-p00' }),
    );
    // Its chain is asked for then.
    const opened = await within(drawer).findByRole('region', {
      name: 'sandbox-42',
    });
    expect(
      backend
        .requestsTo('/cells/sandbox/Release/podinfo')
        .map(r => r.url.searchParams.get('cluster')),
    ).toEqual([null, 'sandbox-42']);
    expect(within(opened).getByText('6.7.1-p00')).toBeVisible();
    // Under its own button, not after the 48 others.
    expect(
      within(ready)
        .getByRole('button', { name: 'sandbox-42 · 6.7.1-p00' })
        .closest('li'),
    ).toContainElement(opened);
    expect(
      within(drawer).getAllByRole('heading', { name: 'Chain' }),
    ).toHaveLength(2);
    await userEvent.click(
      within(ready).getByRole('button', { name: 'sandbox-42 · 6.7.1-p00' }),
    );
    expect(
      within(drawer).queryByRole('region', { name: 'sandbox-42' }),
    ).toBeNull();
  });

  /** Opens sandbox-42 from the fleet's Ready clusters and presses Suspend; returns the drawer. */
  async function suspendSandbox42() {
    await userEvent.click(cellButton(/^podinfo in sandbox:/));
    const drawer = await screen.findByRole('dialog', {
      name: 'podinfo in sandbox',
    });
    const ready = await within(drawer).findByRole('region', {
      name: 'Ready in 49 more clusters',
    });
    await userEvent.click(
      within(ready).getByRole('button', { name: 'sandbox-42 · 6.7.1-p00' }),
    );
    const opened = await within(drawer).findByRole('region', {
      name: 'sandbox-42',
    });
    await userEvent.click(
      await within(opened).findByRole('button', { name: 'Suspend' }),
    );
    return drawer;
  }

  /** The scenario with podinfo suspended in sandbox-42, as once the action lands. */
  function sandbox42Suspended(scenario: Scenario): Scenario {
    const podinfo = scenario.clusters['sandbox-42'].objects.find(
      o => o.kind === 'Release',
    )!;
    podinfo.spec = { ...podinfo.spec, suspended: true };
    return scenario;
  }

  it('gives the focus and the outcome back when an action moves its cluster to the ones shown in full', async () => {
    const { backend } = await showTab(fleetScenario());
    const drawer = await suspendSandbox42();
    // Suspended once the action lands: no longer Ready, so shown in full.
    backend.update(sandbox42Suspended(fleetScenario()));
    await userEvent.click(
      within(
        await screen.findByRole('dialog', { name: /^Suspend Release/ }),
      ).getByRole('button', { name: 'Suspend' }),
    );

    const notice = await within(drawer).findByRole('status');
    expect(notice).toHaveTextContent(
      'Suspended Release apps/podinfo in cluster sandbox-42.',
    );
    expect(
      within(drawer).getByRole('region', { name: 'Ready in 48 more clusters' }),
    ).toBeInTheDocument();
    expect(
      within(drawer).getByRole('heading', { name: 'sandbox-42' }),
    ).toHaveFocus();
  });

  it('gives the focus back after an action even when another cluster of the cell changed while it ran', async () => {
    const signals = fakeSignals();
    const { backend } = await showTab(fleetScenario(), {
      signals: signals.api,
    });
    const drawer = await suspendSandbox42();
    // The action takes a while, and so do the reads of its refresh.
    let landAction = () => {};
    const actionLands = new Promise<void>(r => (landAction = r));
    let posted = false;
    server.use(
      http.post('*/actions/:action', async () => {
        posted = true;
        await actionLands;
        return undefined;
      }),
    );
    await userEvent.click(
      within(
        await screen.findByRole('dialog', { name: /^Suspend Release/ }),
      ).getByRole('button', { name: 'Suspend' }),
    );
    await waitFor(() => expect(posted).toBe(true));
    // Meanwhile sandbox-07 recovers: the cell changes, sandbox-42 stays Ready.
    const recovered = fleetScenario();
    recovered.clusters['sandbox-07'] = recovered.clusters['sandbox-00'];
    backend.update(recovered);
    signals.send('gitops-promotion:changes', {
      changes: [{ cluster: 'sandbox-07' }],
    });
    await within(drawer).findByRole('region', {
      name: 'Ready in 50 more clusters',
    });
    // Then the action lands: sandbox-42 suspended, shown in full.
    const landed = fleetScenario();
    landed.clusters['sandbox-07'] = landed.clusters['sandbox-00'];
    backend.update(sandbox42Suspended(landed));
    let landReads = () => {};
    const readsLand = new Promise<void>(r => (landReads = r));
    server.use(
      http.get('*/cells/:environment/:kind/:name', async () => {
        await readsLand;
        return undefined;
      }),
      http.get('*/promotion', async () => {
        await readsLand;
        return undefined;
      }),
    );
    await act(async () => landAction());
    await act(async () => landReads());

    expect(await within(drawer).findByRole('status')).toHaveTextContent(
      'Suspended Release apps/podinfo in cluster sandbox-42.',
    );
    expect(
      within(drawer).getByRole('heading', { name: 'sandbox-42' }),
    ).toHaveFocus();
  });

  it('says so above an opened cluster whose refresh fails, and keeps its last chain', async () => {
    const signals = fakeSignals();
    const { backend } = await showTab(fleetScenario(), {
      signals: signals.api,
    });
    const changed = () =>
      signals.send('gitops-promotion:changes', {
        changes: [{ cluster: 'sandbox-42' }],
      });
    await userEvent.click(cellButton(/^podinfo in sandbox:/));
    const drawer = await screen.findByRole('dialog', {
      name: 'podinfo in sandbox',
    });
    const toggle = await within(drawer).findByRole('button', {
      name: 'sandbox-42 · 6.7.1-p00',
    });
    await userEvent.click(toggle);
    const opened = await within(drawer).findByRole('region', {
      name: 'sandbox-42',
    });
    // The button names what it opened.
    expect(toggle).toHaveAttribute('aria-controls', opened.parentElement!.id);
    // Only the opened cluster's reads fail: the drawer's own answer still comes.
    backend.fail(503, 'ServiceUnavailableError', 'backend restarting', url =>
      url.searchParams.has('cluster'),
    );
    changed();
    expect(
      await within(drawer).findByText(
        'Could not refresh sandbox-42 (backend restarting (503)): showing the last data received.',
      ),
    ).toBeVisible();
    expect(within(opened).getByText('6.7.1-p00')).toBeVisible();
    // Answering again clears it.
    backend.recover();
    changed();
    await waitFor(() =>
      expect(within(drawer).queryByText(/^Could not refresh/)).toBeNull(),
    );
  });

  it('says a failed refresh of the drawer keeps its last data, not that nothing could be loaded', async () => {
    const signals = fakeSignals();
    const { backend } = await showTab(podinfoScenario(), {
      signals: signals.api,
    });
    await userEvent.click(cellButton(/^podinfo in Staging:/));
    const drawer = await screen.findByRole('dialog');
    await within(drawer).findByRole('region', { name: 'staging-eu' });
    backend.fail(503, 'ServiceUnavailableError', 'backend restarting', url =>
      url.pathname.includes('/cells/'),
    );
    signals.send('gitops-promotion:changes', {
      changes: [{ cluster: 'staging-eu', namespaces: ['apps'] }],
    });
    expect(
      await within(drawer).findByText(
        'Could not refresh the clusters of this cell (backend restarting (503)): showing the last data received.',
      ),
    ).toBeVisible();
    expect(
      within(drawer).getByRole('region', { name: 'staging-eu' }),
    ).toBeVisible();
    expect(within(drawer).queryByText(/could not be loaded/)).toBeNull();
  });

  it('asks again which actions the user may take, on Try again', async () => {
    const { backend } = await showTab(podinfoScenario());
    backend.fail(503, 'ServiceUnavailableError', 'backend restarting', url =>
      url.pathname.endsWith('/actions'),
    );
    await userEvent.click(cellButton(/^podinfo in Staging:/));
    const drawer = await screen.findByRole('dialog');
    expect(
      await within(drawer).findByText(
        'Could not tell which actions you may take: backend restarting (503)',
      ),
    ).toBeVisible();
    backend.recover();
    await userEvent.click(
      within(drawer).getByRole('button', { name: 'Try again' }),
    );
    expect(
      await within(drawer).findByRole('button', {
        name: 'Reconcile OCIRepository kcd-podinfo',
      }),
    ).toBeVisible();
    expect(
      within(drawer).queryByText(/Could not tell which actions/),
    ).toBeNull();
  });

  it('says so when an opened cluster no longer runs the workload', async () => {
    const signals = fakeSignals();
    const scenario = fleetScenario();
    const { backend } = await showTab(scenario, { signals: signals.api });
    await userEvent.click(cellButton(/^podinfo in sandbox:/));
    const drawer = await screen.findByRole('dialog', {
      name: 'podinfo in sandbox',
    });
    await userEvent.click(
      await within(drawer).findByRole('button', {
        name: 'sandbox-42 · 6.7.1-p00',
      }),
    );
    await within(drawer).findByRole('region', { name: 'sandbox-42' });
    // Uninstalled there; the drawer's own answer lags (its read fails).
    const gone = fleetScenario();
    gone.clusters['sandbox-42'] = { objects: [] };
    backend.update(gone);
    backend.fail(
      503,
      'ServiceUnavailableError',
      'backend restarting',
      url =>
        url.pathname.endsWith('/cells/sandbox/Release/podinfo') &&
        !url.searchParams.has('cluster'),
    );
    signals.send('gitops-promotion:changes', {
      changes: [{ cluster: 'sandbox-42' }],
    });
    expect(
      await within(drawer).findByText(
        'sandbox-42 no longer runs this workload.',
      ),
    ).toBeVisible();
    expect(
      within(drawer).queryByRole('region', { name: 'sandbox-42' }),
    ).toBeNull();
  });

  it('keeps a 50-cluster environment usable when a bad version fails in every cluster: the worst in full, the others listed with their cause, each opened on demand', async () => {
    const scenario = fleetScenario();
    const sandboxes = scenario.environments[0].clusters.map(c => c.cluster);
    const ready = scenario.clusters['sandbox-00'];
    for (const name of sandboxes) {
      scenario.clusters[name] = structuredClone(
        scenario.clusters['sandbox-07'],
      );
    }
    // But one, Ready with its last data: stale.
    scenario.clusters['sandbox-49'] = {
      ...ready,
      errors: [{ ...UNREACHABLE, cluster: 'sandbox-49' }],
    };
    const { backend } = await showTab(scenario);
    // The page view names ten of them, all failing; the cell still says
    // that some data is stale, and how many clusters need a look.
    const cell = cellButton(/^podinfo in sandbox:/);
    expect(cell).toHaveTextContent('stale data from 1 cluster');
    expect(cell).toHaveTextContent('50 clusters need a look');
    expect(cell).toHaveAccessibleName(
      expect.stringContaining(
        'stale data from 1 cluster, 50 clusters need a look',
      ),
    );
    await userEvent.click(cellButton(/^podinfo in sandbox:/));
    const drawer = await screen.findByRole('dialog', {
      name: 'podinfo in sandbox',
    });
    await within(drawer).findByRole('region', { name: 'sandbox-00' });
    // Five chains, not 50: the worst, then by name.
    expect(
      within(drawer).getAllByRole('heading', { name: 'Chain' }),
    ).toHaveLength(5);
    for (const name of sandboxes.slice(0, 5)) {
      expect(within(drawer).getByRole('region', { name })).toBeVisible();
    }
    const needing = within(drawer).getByRole('region', {
      name: 'Needs a look in 45 more clusters',
    });
    const buttons = within(needing).getAllByRole('button');
    expect(buttons.map(b => b.textContent)).toEqual(sandboxes.slice(5));
    for (const button of buttons) {
      expect(button).toHaveAttribute('aria-expanded', 'false');
    }
    const row = buttons[0].parentElement!;
    expect(within(row).getByText('Failed')).toBeVisible();
    expect(
      within(row).getByText(
        /^OCIRepository apps\/kcd-podinfo cannot pull oci:\/\/quay\.io\/kubodoc\/packages\/podinfo:6\.7\.1-p02 \(credentials rejected\)/,
      ),
    ).toBeVisible();
    expect(
      within(drawer).queryByRole('region', { name: /^Ready in/ }),
    ).toBeNull();

    const sandbox42 = within(needing).getByRole('button', {
      name: 'sandbox-42',
    });
    await userEvent.click(sandbox42);
    // Its chain is asked for then.
    const opened = await within(needing).findByRole('region', {
      name: 'sandbox-42',
    });
    expect(sandbox42).toHaveAttribute('aria-expanded', 'true');
    expect(within(opened).getByText('Credentials rejected')).toBeVisible();
    expect(
      backend
        .requestsTo('/cells/sandbox/Release/podinfo')
        .map(r => r.url.searchParams.get('cluster')),
    ).toEqual([null, 'sandbox-42']);
    expect(
      within(drawer).getAllByRole('heading', { name: 'Chain' }),
    ).toHaveLength(6);
  });

  it('says so when its cell cannot be loaded', async () => {
    const { backend } = await showTab(fleetScenario());
    backend.fail(503, 'ServiceUnavailableError', 'backend restarting');
    await userEvent.click(cellButton(/^podinfo in sandbox:/));
    const drawer = await screen.findByRole('dialog', {
      name: 'podinfo in sandbox',
    });
    expect(
      await within(drawer).findByText(
        /^The clusters of this cell could not be loaded: .*backend restarting/,
      ),
    ).toBeVisible();
  });

  it('walks the chain in order with reasons, facts and conditions', async () => {
    const { drawer } = await openStagingDrawer(podinfoScenario());
    const links = within(drawer)
      .getAllByRole('heading', { level: 5 })
      .map(h => h.textContent)
      .filter(t => t !== 'Look further');
    expect(links).toEqual([
      'Release apps/podinfo',
      'OCIRepository apps/kcd-podinfo',
      'HelmRepository apps/kcd-podinfo',
      'HelmRelease apps/podinfo-main',
      'HelmChart apps/apps-podinfo-main',
    ]);
    expect(
      within(drawer).getByText('oci://quay.io/kubodoc/packages/podinfo'),
    ).toBeVisible();
    const conditions = within(drawer).getByRole('table', {
      name: 'Conditions of OCIRepository apps/kcd-podinfo',
    });
    const [, row] = within(conditions).getAllByRole('row');
    expect(
      within(row)
        .getAllByRole('cell')
        .slice(0, 3)
        .map(c => c.textContent),
    ).toEqual(['Ready', 'False', 'OCIArtifactPullFailed']);
  });

  it('in an important environment, marks a workload whose failed upgrade would stay failed and says what to add; shows each HelmRelease failure handling', async () => {
    const scenario = podinfoScenario();
    scenario.environments = scenario.environments.map(e => ({
      ...e,
      important: e.name === 'staging',
    }));
    const remediated = scenario.clusters['dev-eu'].objects.find(
      o => o.kind === 'HelmRelease',
    )!;
    remediated.spec = {
      ...remediated.spec,
      upgrade: { remediation: { retries: 3 } },
    };
    remediated.status = { ...remediated.status, upgradeFailures: 2 };
    await showTab(scenario);
    expect(cellButton(/^podinfo in Staging:/)).toHaveAccessibleName(
      expect.stringContaining(
        'no upgrade remediation (apps/podinfo-main): add upgrade.remediation.retries',
      ),
    );
    expect(
      within(cellButton(/^podinfo in Staging:/)).getByText(
        'no upgrade remediation: add upgrade.remediation.retries',
      ),
    ).toBeVisible();
    // Not important: no mark, although its HelmRelease has none either.
    expect(
      within(cellButton(/^podinfo in production:/)).queryByText(
        'no upgrade remediation: add upgrade.remediation.retries',
      ),
    ).toBeNull();
    await userEvent.click(cellButton(/^podinfo in Staging:/));
    const drawer = await screen.findByRole('dialog');
    expect(
      within(drawer).getByText(
        /Staging is an important environment, and a failed upgrade of apps\/podinfo-main would stay failed\. Add upgrade\.remediation\.retries/,
      ),
    ).toBeVisible();
    expect(
      within(drawer).getByText('Failed upgrade').nextSibling,
    ).toHaveTextContent(
      'left failed until the object or its chart changes (no remediation)',
    );
    await userEvent.click(
      within(drawer).getByRole('button', { name: 'Close' }),
    );
    await userEvent.click(cellButton(/^podinfo in development:/));
    const dev = await screen.findByRole('dialog');
    expect(within(dev).queryByText(/is an important environment/)).toBeNull();
    expect(
      within(dev).getByText('Failed upgrade').nextSibling,
    ).toHaveTextContent('rollback and 3 retries');
    expect(within(dev).getByText('Failures').nextSibling).toHaveTextContent(
      'install 0, upgrade 2 (reset by a success)',
    );
  });

  it('loads the events of another link only when asked', async () => {
    const { backend, drawer } = await openStagingDrawer(podinfoScenario());
    await within(drawer).findByRole('table', {
      name: /^Events of OCIRepository/,
    });
    const path =
      '/source.toolkit.fluxcd.io/v1/helmrepositories/apps/kcd-podinfo';
    expect(backend.requestsTo(path)).toHaveLength(0);

    const card = within(drawer)
      .getByRole('heading', { name: 'HelmRepository apps/kcd-podinfo' })
      .closest('div.MuiPaper-root') as HTMLElement;
    const toggle = within(card).getByRole('button', { name: 'Show events' });
    // One of many "Show events": it says whose.
    expect(toggle).toHaveAccessibleDescription(
      'HelmRepository apps/kcd-podinfo',
    );
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    expect(await within(card).findByText('No recent events.')).toBeVisible();
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(backend.requestsTo(path)).toHaveLength(1);
  });

  it('opens from the keyboard, keeps focus inside and gives it back on close', async () => {
    await showTab(podinfoScenario());
    const cell = cellButton(/^podinfo in production:/);
    cell.focus();
    await userEvent.keyboard('{Enter}');
    const drawer = await screen.findByRole('dialog', {
      name: 'podinfo in production',
    });
    expect(drawer).toContainElement(document.activeElement as HTMLElement);
    // One section per cluster of the environment.
    expect(
      within(drawer).getByRole('region', { name: 'prod-eu' }),
    ).toBeVisible();
    expect(
      within(drawer).getByRole('region', { name: 'prod-us' }),
    ).toBeVisible();

    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(cell).toHaveFocus();

    await userEvent.keyboard(' ');
    expect(await screen.findByRole('dialog')).toBeVisible();
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('names the links a cluster does not have', async () => {
    const scenario = podinfoScenario();
    // KuboCD has not created the children yet.
    scenario.clusters['dev-eu'].objects = [
      release('podinfo', 'apps', {
        repository: 'quay.io/kubodoc/packages/podinfo',
        tag: '6.7.1-p02',
        phase: 'WAIT_OCI',
      }),
    ];
    await showTab(scenario);
    await userEvent.click(cellButton(/^podinfo in development:/));
    const drawer = await screen.findByRole('dialog');
    expect(
      within(drawer).getAllByText('not found in cluster dev-eu'),
    ).toHaveLength(3);
    expect(within(drawer).getByText('Object missing')).toBeVisible();
  });

  it('says a same-named object the Release does not own is not its child', async () => {
    const scenario = podinfoScenario();
    scenario.clusters['dev-eu'].objects = scenario.clusters[
      'dev-eu'
    ].objects.map(o =>
      o.kind === 'HelmRelease'
        ? { ...o, metadata: { ...o.metadata, ownerReferences: [] } }
        : o,
    );
    await showTab(scenario);
    await userEvent.click(cellButton(/^podinfo in development:/));
    const drawer = await screen.findByRole('dialog');
    expect(
      within(drawer).getByText(
        'an object of this name exists in cluster dev-eu, but the Release does not own it: not its child, so neither shown nor acted on here',
      ),
    ).toBeVisible();
  });

  it('shows of a link outside the environment’s namespaces its state only, and asks nothing of it', async () => {
    const scenario = paymentsScenario();
    scenario.environments[0] = {
      name: 'development',
      clusters: [{ cluster: 'dev-eu', namespaces: ['payments'] }],
    };
    scenario.clusters['dev-eu'].objects = scenario.clusters[
      'dev-eu'
    ].objects.map(o =>
      o.kind === 'HelmRepository'
        ? helmRepository('charts', 'flux-system', {
            url: 'https://charts.internal.example',
            conditions: [
              notReady(
                'Failed',
                'failed to fetch https://charts.internal.example/index.yaml : 401 Unauthorized',
              ),
            ],
          })
        : o,
    );
    const { backend } = await showTab(scenario);
    await userEvent.click(cellButton(/^payments-api in development:/));
    const drawer = await screen.findByRole('dialog');
    expect(
      within(drawer).getByText(
        "HelmRepository flux-system/charts is failed, outside this environment's namespaces (payments): only its state is shown, not its conditions, events or spec.",
      ),
    ).toBeVisible();
    expect(
      within(drawer).getByText(
        'outside this environment’s namespaces: only its state is shown here, not its conditions, events or spec',
      ),
    ).toBeVisible();
    expect(drawer).not.toHaveTextContent('charts.internal.example');
    // The in-bounds HelmRelease's events are there to read; the source's are not asked for.
    expect(
      await within(drawer).findAllByRole('button', { name: /events/i }),
    ).not.toHaveLength(0);
    expect(
      backend.requestsTo('/helmrepositories/flux-system/charts'),
    ).toHaveLength(0);
  });

  it('says which clusters served stale data', async () => {
    const scenario = clusterErrorsScenario();
    await showTab(scenario);
    await userEvent.click(cellButton(/^payments-api in production:/));
    const drawer = await screen.findByRole('dialog');
    const prodUs = within(drawer).getByRole('region', { name: 'prod-us' });
    expect(prodUs).toHaveTextContent(
      new RegExp(
        `prod-us has stopped answering: this is the last data read from it\\.No answer for ${agesOf(
          UNREACHABLE.since,
          0.25,
        )}\\.`,
      ),
    );
    // Announced without its age, which ticks.
    expect(within(prodUs).getByRole('alert')).toHaveTextContent(
      /^prod-us has stopped answering: this is the last data read from it\.$/,
    );
  });
});

describe('CellDrawer actions', () => {
  it('offers only what the backend allows, and says why not', async () => {
    const { backend, drawer } = await openStagingDrawer(podinfoScenario(), {
      policy: () =>
        'Not allowed: gitops-promotion.reconcile on component:default/podinfo',
    });
    const actions = await within(drawer).findByRole('group', {
      name: 'Actions on Release apps/podinfo in staging-eu',
    });
    expect(
      await within(actions).findByText(
        'Reconcile OCIRepository kcd-podinfo and Suspend not offered: Not allowed: gitops-promotion.reconcile on component:default/podinfo.',
      ),
    ).toBeVisible();
    expect(within(actions).queryByRole('button')).toBeNull();
    // Asked once, when the cell's links are known.
    const [asked, ...again] = backend.requestsTo('/actions');
    expect(again).toEqual([]);
    expect(asked.url.pathname).toBe(
      '/api/gitops-promotion/v1/entities/default/component/podinfo/actions',
    );
    // For this cell only: its workload's chains in its environment.
    expect(asked.url.searchParams.get('environment')).toBe('staging');
    expect(asked.url.searchParams.get('workload')).toBe('Release/podinfo');
  });

  it('shows why an action is refused in production but offered in staging', async () => {
    const policy: Policy = (action, link) =>
      link.environment === 'production'
        ? `The permission policy does not allow gitops-promotion.object.${action} on ${link.link.ref.kind} ${link.link.ref.namespace}/${link.link.ref.name} in cluster ${link.link.ref.cluster} (environment production)`
        : undefined;
    await showTab(podinfoScenario(), { policy });
    await userEvent.click(cellButton(/^podinfo in production:/));
    const drawer = await screen.findByRole('dialog');
    const prodEu = within(drawer).getByRole('region', { name: 'prod-eu' });
    expect(
      await within(prodEu).findByText(
        'Suspend not offered: The permission policy does not allow gitops-promotion.object.suspend on Release apps/podinfo in cluster prod-eu (environment production).',
      ),
    ).toBeVisible();
    expect(
      within(prodEu).queryByRole('button', { name: 'Suspend' }),
    ).toBeNull();
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await userEvent.click(cellButton(/^podinfo in Staging:/));
    const staging = await screen.findByRole('dialog');
    expect(
      await within(staging).findByRole('button', { name: 'Suspend' }),
    ).toBeVisible();
    expect(within(staging).queryByText(/not offered/)).toBeNull();
  });

  it('reconciles the failing Flux source of a KuboCD Release (a Release has no reconcile request)', async () => {
    const { backend, drawer } = await openStagingDrawer(podinfoScenario());
    const actions = await within(drawer).findByRole('group', {
      name: 'Actions on Release apps/podinfo in staging-eu',
    });
    expect(
      within(actions).queryByRole('button', { name: 'Reconcile' }),
    ).toBeNull();
    await userEvent.click(
      within(actions).getByRole('button', {
        name: 'Reconcile OCIRepository kcd-podinfo',
      }),
    );
    expect(
      await within(actions).findByText(
        'Requested a reconcile of OCIRepository apps/kcd-podinfo in cluster staging-eu.',
      ),
    ).toBeVisible();

    const [post] = backend.requests.filter(r => r.method === 'POST');
    expect(post.url.pathname).toBe(
      '/api/gitops-promotion/v1/entities/default/component/podinfo/objects/staging-eu/source.toolkit.fluxcd.io/v1/ocirepositories/apps/kcd-podinfo/actions/reconcile',
    );
  });

  it('reads the events again when an action changes the object', async () => {
    const { events, reconcileInto } = await openStagingSource(
      podinfoScenario(),
    );
    expect(within(events).getByText('OCIArtifactPullFailed')).toBeVisible();

    // The controller pulls the artifact as soon as it is asked to.
    const pulled = podinfoScenario();
    pulled.clusters['staging-eu'] = {
      objects: releaseWithChildren('podinfo', 'apps', { tag: '6.7.1-p02' }),
    };
    pulled.events = {
      'staging-eu/OCIRepository/apps/kcd-podinfo': [
        {
          type: 'Normal',
          reason: 'NewArtifact',
          message: 'stored artifact for digest 6.7.1-p02',
          count: 1,
          lastTimestamp: hoursAgo(0),
          source: 'source-controller',
        },
      ],
    };
    await reconcileInto(pulled);
    expect(await within(events).findByText('NewArtifact')).toBeVisible();
    expect(within(events).queryByText('OCIArtifactPullFailed')).toBeNull();
  });

  it('reads the events again once the controller handles a reconcile that changes nothing else', async () => {
    const scenario = podinfoScenario();
    const { drawer, events, reconcileInto } = await openStagingSource(scenario);
    expect(within(events).getByText('42')).toBeVisible();

    // The pull fails again: same conditions, one more event, the request marked handled.
    const handled = structuredClone(scenario);
    const oci = handled.clusters['staging-eu'].objects.find(
      o => o.kind === 'OCIRepository',
    )!;
    oci.status!.lastHandledReconcileAt = '2026-11-21T10:00:00.000Z';
    handled.events!['staging-eu/OCIRepository/apps/kcd-podinfo'][0].count = 43;
    await reconcileInto(handled);
    expect(await within(events).findByText('43')).toBeVisible();
    expect(within(drawer).getByText('2026-11-21T10:00:00.000Z')).toBeVisible();
  });

  it('names the object reconciled when the reconcile of a root cause fails', async () => {
    const { backend, drawer } = await openStagingDrawer(podinfoScenario());
    const reconcile = await within(drawer).findByRole('button', {
      name: 'Reconcile OCIRepository kcd-podinfo',
    });
    backend.fail(503, 'ServiceUnavailableError', 'API server unavailable');
    await userEvent.click(reconcile);
    expect(
      await within(drawer).findByText(
        'Could not reconcile OCIRepository apps/kcd-podinfo in staging-eu: API server unavailable (503)',
      ),
    ).toBeVisible();
  });

  it('offers Resume on a suspended workload and shows a refusal without throwing', async () => {
    const { backend } = await showTab(statesScenario());
    await userEvent.click(cellButton(/^svc in suspended:/));
    const drawer = await screen.findByRole('dialog');
    const resume = await within(drawer).findByRole('button', {
      name: 'Resume',
    });
    expect(
      within(drawer).queryByRole('button', { name: 'Suspend' }),
    ).toBeNull();
    backend.fail(403, 'NotAllowedError', 'not allowed to resume svc');
    await userEvent.click(resume);
    expect(
      await within(drawer).findByText(
        /Could not resume HelmRelease shop\/svc in suspended-cluster: not allowed to resume svc \(403\)/,
      ),
    ).toBeVisible();
    expect(
      backend.requests.filter(r => r.method === 'POST')[0].url.pathname,
    ).toMatch(/\/actions\/resume$/);
  });

  it('asks before suspending, and suspends only once confirmed', async () => {
    const { backend } = await showTab(statesScenario());
    await userEvent.click(cellButton(/^svc in ready:/));
    const drawer = await screen.findByRole('dialog');
    const posts = () => backend.requests.filter(r => r.method === 'POST');
    const suspend = await within(drawer).findByRole('button', {
      name: 'Suspend',
    });
    await userEvent.click(suspend);
    const confirm = await screen.findByRole('dialog', {
      name: 'Suspend HelmRelease shop/svc in ready-cluster?',
    });
    await userEvent.click(
      within(confirm).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: /^Suspend HelmRelease/ }),
      ).toBeNull(),
    );
    expect(posts()).toEqual([]);

    await userEvent.click(suspend);
    await userEvent.click(
      within(
        await screen.findByRole('dialog', { name: /^Suspend HelmRelease/ }),
      ).getByRole('button', { name: 'Suspend' }),
    );
    expect(
      await within(drawer).findByText(
        'Suspended HelmRelease shop/svc in cluster ready-cluster.',
      ),
    ).toBeVisible();
    expect(posts().map(r => r.url.pathname)).toEqual([
      expect.stringMatching(/\/helmreleases\/shop\/svc\/actions\/suspend$/),
    ]);
  });

  it('keeps the focus on the button once a suspend turned it into Resume', async () => {
    const { backend } = await showTab(statesScenario());
    await userEvent.click(cellButton(/^svc in ready:/));
    const drawer = await screen.findByRole('dialog');
    const suspend = await within(drawer).findByRole('button', {
      name: 'Suspend',
    });
    await userEvent.click(suspend);
    // Once suspended, the cluster reports the workload so.
    const next = statesScenario();
    next.clusters['ready-cluster'].objects = structuredClone(
      next.clusters['suspended-cluster'].objects,
    );
    backend.update(next);
    await userEvent.click(
      within(
        await screen.findByRole('dialog', { name: /^Suspend HelmRelease/ }),
      ).getByRole('button', { name: 'Suspend' }),
    );
    const resume = await within(drawer).findByRole('button', {
      name: 'Resume',
    });
    await waitFor(() => expect(resume).toHaveFocus());
  });

  it("offers to reconcile a HelmRelease's failing source beside the HelmRelease", async () => {
    const scenario = paymentsScenario();
    const staging = scenario.clusters['staging-eu'].objects;
    const at = staging.findIndex(o => o.kind === 'HelmRepository');
    staging[at] = helmRepository('charts', 'flux-system', {
      url: 'https://charts.example.com',
      conditions: [
        notReady(
          'Failed',
          'failed to fetch Helm repository index: failed to cache index to temporary file: failed to fetch https://charts.example.com/index.yaml : 401 Unauthorized',
          hoursAgo(1),
        ),
      ],
    });
    const { backend } = await showTab(scenario);
    await userEvent.click(cellButton(/^payments-api in staging:/));
    const drawer = await screen.findByRole('dialog');
    const actions = await within(drawer).findByRole('group', {
      name: 'Actions on HelmRelease payments/payments-api in staging-eu',
    });
    expect(
      (await within(actions).findAllByRole('button')).map(b => b.textContent),
    ).toEqual(['Reconcile', 'Reconcile HelmRepository charts', 'Suspend']);
    await userEvent.click(
      within(actions).getByRole('button', {
        name: 'Reconcile HelmRepository charts',
      }),
    );
    expect(
      await within(actions).findByText(
        'Requested a reconcile of HelmRepository flux-system/charts in cluster staging-eu.',
      ),
    ).toBeVisible();
    expect(
      backend.requests.filter(r => r.method === 'POST')[0].url.pathname,
    ).toMatch(
      /\/objects\/staging-eu\/source\.toolkit\.fluxcd\.io\/v1\/helmrepositories\/flux-system\/charts\/actions\/reconcile$/,
    );
  });
});
