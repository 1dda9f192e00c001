import { Entity } from '@backstage/catalog-model';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { PromotionOverview as Overview } from '@gitops-promotion/backstage-plugin-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { gitopsPromotionApiRef } from '../../api';
import { BASE_URL, buildOverview } from '../../__testUtils__/fakeBackend';
import { realClient } from '../../__testUtils__/renderTab';
import {
  clusterErrorsScenario,
  entityWith,
  paymentsScenario,
  podinfoScenario,
} from '../../__testUtils__/scenarios';
import { EntityPromotionOverview } from './EntityPromotionOverview';
import { PromotionOverview } from './PromotionOverview';

const server = setupServer();
registerMswTestHooks(server);

// The clocks (useNow) move when a test says so: a tick is a render, not a
// wait.
const mockClocks = new Map<(update: (now: number) => number) => void, number>();
jest.mock('../../hooks/useNow', () => {
  const { useEffect, useState } = jest.requireActual('react');
  return {
    useNow: (periodMs: number) => {
      const [now, setNow] = useState(Date.now);
      useEffect(() => {
        mockClocks.set(setNow, periodMs);
        return () => {
          mockClocks.delete(setNow);
        };
      }, [setNow, periodMs]);
      return now;
    },
  };
});
/** Moves the clocks renewed every `periodMs` on by `ms`. */
const tick = (periodMs: number, ms: number) =>
  act(() =>
    mockClocks.forEach((period, setNow) => {
      if (period === periodMs) setNow(now => now + ms);
    }),
  );

// The table's cells render a StateLabel each: counting those counts the
// renders of the rows; counting the refresh status's, those of the
// overview around them.
const mockRenders = { stateLabel: 0, refreshStatus: 0 };
jest.mock('../common/StateLabel', () => {
  const { createElement } = jest.requireActual('react');
  const actual = jest.requireActual('../common/StateLabel');
  return {
    ...actual,
    StateLabel: (props: object) => {
      mockRenders.stateLabel++;
      return createElement(actual.StateLabel, props);
    },
  };
});
jest.mock('../common/RefreshStatus', () => {
  const { createElement } = jest.requireActual('react');
  const actual = jest.requireActual('../common/RefreshStatus');
  return {
    ...actual,
    RefreshStatus: (props: object) => {
      mockRenders.refreshStatus++;
      return createElement(actual.RefreshStatus, props);
    },
  };
});

function component(name: string, owner: string, system?: string): Entity {
  const entity = entityWith({}, name);
  return { ...entity, spec: { ...entity.spec, owner, system } };
}

// podinfo: staging fails (the registry rejects the pull of 6.7.1-p02),
// production runs two versions; payments-api: 2.4.0 waits for staging,
// 2.3.0 for production.
const overview = () =>
  buildOverview([
    {
      entity: component('podinfo', 'team-platform', 'commerce'),
      scenario: podinfoScenario(),
    },
    {
      entity: component('payments-api', 'team-payments'),
      scenario: paymentsScenario(),
    },
  ]);

/** Serves the overview at this path, with an ETag; records the requests. */
function serve(path: string, body: Overview) {
  const requests: Request[] = [];
  server.use(
    http.get(`${BASE_URL}/v1${path}`, ({ request }) => {
      requests.push(request);
      if (request.headers.get('If-None-Match') === '"o1"') {
        return new HttpResponse(null, { status: 304 });
      }
      return HttpResponse.json(body, { headers: { ETag: '"o1"' } });
    }),
  );
  return requests;
}

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'engineering', namespace: 'default' },
  spec: { type: 'department', children: [] },
};

function render(element: JSX.Element) {
  return renderInTestApp(element, {
    apis: [[gitopsPromotionApiRef, realClient()], mockApis.config()],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

/** Turns on one filter and looks at one environment. */
async function showOnlyIn(filter: string, environment: string) {
  await userEvent.click(
    within(screen.getByRole('group', { name: 'Show only' })).getByText(filter),
  );
  await userEvent.click(screen.getByLabelText('In environment'));
  await userEvent.click(
    within(await screen.findByRole('listbox')).getByText(environment),
  );
}

const rowsOf = async () => {
  const table = await screen.findByRole('table', {
    name: /^Promotion overview/,
  });
  return within(table)
    .getAllByRole('rowheader')
    .map(h => within(h).getByRole('link').textContent);
};

/** The engineering group's entity page content. */
const renderGroupOverview = () =>
  render(
    <EntityProvider entity={group}>
      <EntityPromotionOverview />
    </EntityProvider>,
  );

/** The engineering group's overview, served as overview() builds it, once its rows show; the requests it made. */
async function showGroupOverview() {
  const requests = serve(
    '/entities/default/group/engineering/overview',
    overview(),
  );
  renderGroupOverview();
  await rowsOf();
  return requests;
}

describe('EntityPromotionOverview', () => {
  it("shows a Group's components with the counts and links to the drill-down that needs attention", async () => {
    const requests = await showGroupOverview();
    expect(await rowsOf()).toEqual(['payments-api', 'podinfo']);
    expect(requests).toHaveLength(1);
    const status = screen.getByRole('status');
    expect(
      within(status)
        .getAllByText(/./)
        .map(e => e.textContent),
    ).toEqual([
      '2 components',
      '1 failing in Staging',
      '2 pending promotion to production',
      '2 pending promotion to Staging',
      '1 with mixed versions',
    ]);
    expect(screen.getByRole('link', { name: 'podinfo' })).toHaveAttribute(
      'href',
      '/catalog/default/component/podinfo/promotion?workload=Release%2Fpodinfo&environment=staging',
    );
    // payments-api fails nowhere: its link opens the first pending promotion.
    expect(screen.getByRole('link', { name: 'payments-api' })).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/promotion?workload=HelmRelease%2Fpayments-api&environment=staging',
    );
    // The label says all the cell shows, as the link's content is not read.
    expect(
      screen.getByRole('link', {
        name: 'Open podinfo: KuboCD Release podinfo in production, Ready, version 6.6.3-p01, Mixed versions',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/podinfo/promotion?workload=Release%2Fpodinfo&environment=production',
    );
  });

  it('says when it was updated, and asks again on Refresh', async () => {
    const requests = await showGroupOverview();
    expect(screen.getByText(/^Updated/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(requests).toHaveLength(2));
    // Unchanged: the backend answered 304 to the ETag held.
    expect(requests[1].headers.get('If-None-Match')).toBe('"o1"');
  });

  it('filters by failing, pending, mixed versions and stale data, in one environment', async () => {
    await showGroupOverview();
    const filters = screen.getByRole('group', { name: 'Show only' });
    await userEvent.click(within(filters).getByText('Failing'));
    expect(await rowsOf()).toEqual(['podinfo']);
    await userEvent.click(within(filters).getByText('Failing'));
    await userEvent.click(within(filters).getByText('Mixed versions'));
    expect(await rowsOf()).toEqual(['podinfo']);
    await userEvent.click(within(filters).getByText('Mixed versions'));
    await userEvent.click(within(filters).getByText('Pending promotion'));
    expect(await rowsOf()).toEqual(['payments-api', 'podinfo']);
    await userEvent.click(within(filters).getByText('Stale or no data'));
    expect(
      await screen.findByText('No component matches these filters.'),
    ).toBeInTheDocument();
    // No empty table under it.
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('opens, from a row, the drill-down of the environment the filters look at', async () => {
    await showGroupOverview();
    await showOnlyIn('Pending promotion', 'production');
    // payments-api waits for staging and for production: the row opens
    // production, the environment asked about.
    expect(
      await screen.findByRole('link', { name: 'payments-api' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/promotion?workload=HelmRelease%2Fpayments-api&environment=production',
    );
    // With the filter off the environment narrows nothing: the row opens
    // its most important environment again, and the select says so.
    await userEvent.click(
      within(screen.getByRole('group', { name: 'Show only' })).getByText(
        'Pending promotion',
      ),
    );
    expect(
      await screen.findByRole('link', { name: 'payments-api' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/promotion?workload=HelmRelease%2Fpayments-api&environment=staging',
    );
    expect(screen.getByLabelText('In environment')).toHaveTextContent(
      'Any environment',
    );
  });

  it('does not say all is clear when clusters or components could not be read', async () => {
    // Only sandbox-carol, which rejects the credentials: nothing found.
    const unread = clusterErrorsScenario();
    const body = {
      ...buildOverview([
        {
          entity: component('payments-api', 'team-payments'),
          scenario: {
            ...unread,
            environments: [
              { name: 'sandbox', clusters: [{ cluster: 'sandbox-carol' }] },
            ],
          },
        },
      ]),
      unavailable: [
        {
          entityRef: 'component:default/ledger',
          title: 'Ledger',
          message:
            "Its promotion view could not be built (TypeError); the backend's log has the cause.",
        },
      ],
    };
    serve('/entities/default/group/engineering/overview', body);
    renderGroupOverview();
    expect(
      await screen.findByText(
        'No workload found in the clusters that could be read: the clusters above could not be read.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'The promotion view of Ledger could not be built; the backend log has the cause.',
      ),
    ).toBeInTheDocument();
    const errors = screen.getByRole('region', { name: 'Cluster errors' });
    expect(within(errors).getByText(/^sandbox-carol: /)).toBeInTheDocument();
    expect(
      screen.queryByText('Nothing failing, nothing waiting to be promoted.'),
    ).not.toBeInTheDocument();
  });

  it('renders the rows again for neither a poll answered 304 nor a clock tick', async () => {
    const body = buildOverview([
      {
        entity: component('payments-api', 'team-payments'),
        scenario: clusterErrorsScenario(),
      },
    ]);
    const requests = serve(
      '/entities/default/group/engineering/overview',
      body,
    );
    renderGroupOverview();
    await rowsOf();
    const errors = screen.getByRole('region', { name: 'Cluster errors' });
    const rowRenders = mockRenders.stateLabel;
    expect(rowRenders).toBeGreaterThan(0);

    // A refresh answered 304: the same overview, only `checkedAt` is new.
    const statusRenders = mockRenders.refreshStatus;
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() =>
      expect(mockRenders.refreshStatus).toBeGreaterThan(statusRenders),
    );
    expect(requests).toHaveLength(2);
    expect(requests[1].headers.get('If-None-Match')).toBe('"o1"');
    expect(mockRenders.stateLabel).toBe(rowRenders);

    // An hour on for the cluster errors' clock (15 s): their ages move;
    // neither the rows nor the overview around them render again.
    const ages = () =>
      within(errors)
        .getAllByRole('time')
        .map(e => e.textContent);
    expect(ages()).toContain('2h');
    const statusRendersBeforeTick = mockRenders.refreshStatus;
    tick(15_000, 60 * 60 * 1000);
    expect(ages()).toContain('3h');
    expect(ages()).not.toContain('2h');
    expect(mockRenders.stateLabel).toBe(rowRenders);
    expect(mockRenders.refreshStatus).toBe(statusRendersBeforeTick);
  });

  it('does not say all is clear when only part of the components were read', async () => {
    // payments-api in development only: nothing fails or waits there.
    const scenario = {
      ...paymentsScenario(),
      environments: paymentsScenario().environments.slice(0, 1),
    };
    const body = buildOverview([
      { entity: component('payments-api', 'team-payments'), scenario },
    ]);
    serve('/entities/default/group/engineering/overview', body);
    const { unmount } = await renderGroupOverview();
    expect(
      await screen.findByText(
        'Nothing failing, nothing waiting to be promoted.',
      ),
    ).toBeInTheDocument();
    unmount();

    serve('/entities/default/group/engineering/overview', {
      ...body,
      truncated: true,
      entitiesChecked: 500,
    });
    renderGroupOverview();
    expect(
      await screen.findByText(
        'Only the first 500 components were read: open the overview of a child group or a system for the rest.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('1 component');
    expect(
      screen.queryByText('Nothing failing, nothing waiting to be promoted.'),
    ).not.toBeInTheDocument();
  });

  it('names the namespace of components whose titles are the same', async () => {
    const inTeamB = (entity: Entity): Entity => ({
      ...entity,
      metadata: { ...entity.metadata, namespace: 'team-b' },
    });
    const titled = (entity: Entity, title: string): Entity => ({
      ...entity,
      metadata: { ...entity.metadata, title },
    });
    const payments = component('payments-api', 'team-payments');
    const podinfo = titled(component('podinfo', 'team-platform'), 'Podinfo');
    serve(
      '/entities/default/group/engineering/overview',
      buildOverview([
        { entity: payments, scenario: paymentsScenario() },
        { entity: inTeamB(payments), scenario: paymentsScenario() },
        { entity: podinfo, scenario: podinfoScenario() },
        { entity: inTeamB(podinfo), scenario: podinfoScenario() },
      ]),
    );
    renderGroupOverview();
    expect(await rowsOf()).toEqual([
      'default/payments-api',
      'team-b/payments-api',
      'Podinfo (default/podinfo)',
      'Podinfo (team-b/podinfo)',
    ]);
    expect(
      screen.getByRole('link', {
        name: 'Open team-b/payments-api: Flux HelmRelease payments-api in development, Ready, version 2.4.0',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/team-b/component/payments-api/promotion?workload=HelmRelease%2Fpayments-api&environment=development',
    );
    expect(
      screen.getByRole('link', {
        name: 'Open default/payments-api: Flux HelmRelease payments-api in development, Ready, version 2.4.0',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/promotion?workload=HelmRelease%2Fpayments-api&environment=development',
    );
    expect(
      screen.getAllByRole('link', {
        name: /^Open Podinfo \(team-b\/podinfo\): KuboCD Release podinfo in production, /,
      }),
    ).toHaveLength(1);
  });

  it('opens, from a row, the environment a mixed versions filter looks at', async () => {
    // podinfo with a second development cluster on 6.6.3-p01: mixed
    // versions in development; staging still fails.
    const base = podinfoScenario();
    const scenario = {
      ...base,
      environments: [
        {
          name: 'development',
          clusters: [{ cluster: 'dev-eu' }, { cluster: 'dev-us' }],
        },
        ...base.environments.slice(1),
      ],
      clusters: { ...base.clusters, 'dev-us': base.clusters['prod-us'] },
    };
    serve(
      '/entities/default/group/engineering/overview',
      buildOverview([
        { entity: component('podinfo', 'team-platform'), scenario },
      ]),
    );
    renderGroupOverview();
    await rowsOf();
    await showOnlyIn('Mixed versions', 'development');
    // The row opens development, where the filter found it, not staging,
    // where it fails.
    expect(await rowsOf()).toEqual(['podinfo']);
    expect(screen.getByRole('link', { name: 'podinfo' })).toHaveAttribute(
      'href',
      '/catalog/default/component/podinfo/promotion?workload=Release%2Fpodinfo&environment=development',
    );
  });

  it('opens, from a row, the environment a stale data filter looks at', async () => {
    serve(
      '/entities/default/group/engineering/overview',
      buildOverview([
        {
          entity: component('payments-api', 'team-payments'),
          scenario: clusterErrorsScenario(),
        },
      ]),
    );
    renderGroupOverview();
    await rowsOf();
    await showOnlyIn('Stale or no data', 'sandbox');
    // sandbox-carol could never be read: sandbox has no data; payments-api
    // waits for staging, but the row opens sandbox, where the filter found
    // it.
    expect(await rowsOf()).toEqual(['payments-api']);
    expect(screen.getByRole('link', { name: 'payments-api' })).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/promotion?workload=HelmRelease%2Fpayments-api&environment=sandbox',
    );
  });

  it('says so when the backend refuses the scope', async () => {
    server.use(
      http.get(
        `${BASE_URL}/v1/entities/default/group/engineering/overview`,
        () =>
          // Backstage's error handler's body, as the backend answers it.
          HttpResponse.json(
            {
              error: {
                name: 'InputError',
                message:
                  'group:default/engineering has more than 500 groups below it: open the overview of one of its child groups',
              },
              request: {
                method: 'GET',
                url: '/api/gitops-promotion/v1/entities/default/group/engineering/overview',
              },
              response: { statusCode: 400 },
            },
            { status: 400 },
          ),
      ),
    );
    renderGroupOverview();
    expect(
      await screen.findByText(
        'Error: Could not load the promotion overview: group:default/engineering has more than 500 groups below it: open the overview of one of its child groups (400)',
      ),
    ).toBeInTheDocument();
    // The cause, not the raw body.
    expect(document.body.textContent).not.toContain('"error"');
  });
});

describe('PromotionOverview page', () => {
  it('groups every visible component by owner, or by system', async () => {
    const requests = serve('/overview', overview());
    render(<PromotionOverview groupable />);
    const headings = async () =>
      (await screen.findAllByRole('heading', { level: 2 })).map(
        h => h.textContent,
      );
    expect(await headings()).toEqual(['team-payments', 'team-platform']);
    expect(requests[0].url).toBe(`${BASE_URL}/v1/overview`);
    await userEvent.click(screen.getByLabelText('Group by'));
    await userEvent.click(
      within(await screen.findByRole('listbox')).getByText('System'),
    );
    expect(await headings()).toEqual(['commerce', 'No system']);
  });
});
