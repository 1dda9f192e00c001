import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  gitRepository,
  helmRelease,
  kustomization,
} from '@gitops-promotion/backstage-plugin-common/testUtils';
import { setupServer } from 'msw/node';
import { FakeBackend, Scenario } from '../../__testUtils__/fakeBackend';
import { renderTab } from '../../__testUtils__/renderTab';
import {
  clusterErrorsScenario,
  entityWith,
  fleetScenario,
  markersScenario,
  paymentsScenario,
  podinfoScenario,
  statesScenario,
} from '../../__testUtils__/scenarios';

const server = setupServer();
registerMswTestHooks(server);

async function showTab(
  backend: FakeBackend,
  annotations: Record<string, string>,
) {
  server.use(...backend.handlers());
  renderTab(entityWith(annotations));
  return screen.findByRole('table', {
    name: 'Versions and states per environment',
  });
}

/** The matrix cell (td) of a workload in an environment. */
function cellOf(workload: string, environment: string): HTMLElement {
  const button = screen.getByRole('button', {
    name: new RegExp(`^${workload} in ${environment}:`),
  });
  return button.closest('td')!;
}

describe('PromotionMatrix', () => {
  afterEach(() => jest.restoreAllMocks());

  it('shows one column per environment in order and one row per workload', async () => {
    const scenario = podinfoScenario();
    const table = await showTab(
      new FakeBackend(scenario),
      scenario.annotations,
    );
    const headers = within(table)
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    expect(headers).toEqual([
      'Workload',
      'developmentdev-eu',
      'Stagingstaging-eu',
      'productionprod-eu and prod-us',
    ]);
    const rows = within(table).getAllByRole('rowheader');
    expect(rows.map(r => r.textContent)).toEqual([
      'podinfoKuboCD Release · apps',
    ]);
  });

  it('names a few clusters of an environment in its header, and counts the others', async () => {
    const scenario = fleetScenario();
    const table = await showTab(
      new FakeBackend(scenario),
      scenario.annotations,
    );
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual([
      'Workload',
      'sandboxsandbox-00, sandbox-01, sandbox-02, and 47 more',
      'stagingstaging-eu',
      'productionprod-eu',
    ]);
  });

  it('tells apart two workloads of one name by their kinds, in the cells, the drill-down and the comparison', async () => {
    // A Kustomization `shop` that applies the HelmRelease `shop`.
    const objects = [
      kustomization('shop', 'shop', {
        source: { kind: 'GitRepository', name: 'shop' },
        applied: 'main@sha1:1111111111111111111111111111111111111111',
      }),
      gitRepository('shop', 'shop', {
        url: 'https://git.example.com/shop',
        revision: 'main@sha1:1111111111111111111111111111111111111111',
      }),
      helmRelease('shop', 'shop', {
        chart: 'shop',
        version: '1.0.0',
        source: { kind: 'HelmRepository', name: 'charts' },
      }),
    ];
    const scenario: Scenario = {
      environments: [
        { name: 'staging', clusters: [{ cluster: 'staging-eu' }] },
        { name: 'production', clusters: [{ cluster: 'prod-eu' }] },
      ],
      annotations: {
        'gitops-promotion/kustomizations': 'shop/shop',
        'gitops-promotion/helm-releases': 'shop/shop',
      },
      clusters: {
        'staging-eu': { objects },
        'prod-eu': { objects },
      },
    };
    await showTab(new FakeBackend(scenario), scenario.annotations);
    const named = (name: string) =>
      screen.getByRole('button', { name: new RegExp(`^${name} in staging:`) });
    expect(named('shop \\(Flux Kustomization\\)')).toBeInTheDocument();
    await userEvent.click(named('shop \\(Flux HelmRelease\\)'));
    expect(
      await screen.findByRole('dialog', {
        name: 'shop (Flux HelmRelease) in staging',
      }),
    ).toBeInTheDocument();
    await userEvent.keyboard('{Escape}');
    const picker = screen.getByRole('combobox', { name: 'Workload' });
    expect(
      within(picker)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['shop (Flux HelmRelease)', 'shop (Flux Kustomization)']);
  });

  it('shows each state with its label, its version and for how long', async () => {
    const scenario = statesScenario();
    await showTab(new FakeBackend(scenario), scenario.annotations);
    const expected: Array<[string, string]> = [
      ['ready', 'Ready'],
      ['progressing', 'Progressing'],
      ['failed', 'Failed'],
      ['suspended', 'Suspended'],
      ['unknown', 'Unknown'],
      ['absent', 'Not deployed'],
    ];
    for (const [env, label] of expected) {
      const button = screen.getByRole('button', {
        name: new RegExp(`^svc in ${env}: ${label}`),
      });
      expect(button).toHaveTextContent(label);
    }
    expect(cellOf('svc', 'ready')).toHaveTextContent('1.2.0Ready for 3h');
    expect(
      screen.getByRole('button', { name: /^svc in ready:/ }),
    ).toHaveAccessibleName('svc in ready: Ready for 3h, version 1.2.0');
    expect(cellOf('svc', 'progressing')).toHaveTextContent('for 30m');
    expect(cellOf('svc', 'failed')).toHaveTextContent('Failed for 1h');
    expect(
      within(cellOf('svc', 'ready')).getByTestId('status-ok'),
    ).toBeTruthy();
    expect(
      within(cellOf('svc', 'progressing')).getByTestId('status-warning'),
    ).toBeTruthy();
    expect(
      within(cellOf('svc', 'failed')).getByTestId('status-error'),
    ).toBeTruthy();
    expect(
      within(cellOf('svc', 'suspended')).getByTestId('status-aborted'),
    ).toBeTruthy();
    expect(
      within(cellOf('svc', 'unknown')).getByTestId('status-pending'),
    ).toBeTruthy();
    // Not deployed is plain text: no version, no icon.
    expect(cellOf('svc', 'absent')).toHaveTextContent(/^Not deployed$/);
  });

  it('shows the version being rolled out, clusters ready and mixed versions', async () => {
    const scenario = podinfoScenario();
    await showTab(new FakeBackend(scenario), scenario.annotations);
    expect(cellOf('podinfo', 'Staging')).toHaveTextContent(
      '6.7.1-p01 → 6.7.1-p02',
    );
    const production = cellOf('podinfo', 'production');
    expect(production).toHaveTextContent('2/2 ready');
    expect(within(production).getByText('mixed versions')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /^podinfo in production:/ }),
    ).toHaveAccessibleName(
      expect.stringContaining(
        'mixed versions (prod-eu: 6.7.1-p01, prod-us: 6.6.3-p01)',
      ),
    );
    // An environment with one cluster does not count clusters.
    expect(cellOf('podinfo', 'development')).not.toHaveTextContent('ready');
  });

  it('names each cell with everything it shows', async () => {
    const scenario = paymentsScenario();
    scenario.clusters['prod-us'] = { objects: [] };
    await showTab(new FakeBackend(scenario), scenario.annotations);
    const production = screen.getByRole('button', {
      name: /^payments-api in production:/,
    });
    expect(production).toHaveTextContent('1/1 ready · not in prod-us');
    // The fixture's conditions carry a fixed date: the age varies.
    expect(production).toHaveAccessibleName(
      /^payments-api in production: Ready for \d+[smhd], version 2\.1\.0, 1\/1 ready, not in prod-us$/,
    );
  });

  it('names a few clusters a cell is not in or has no data from, and counts the others; the drill-down names them all', async () => {
    // In 2 of 50 sandboxes; 10 of them never answered.
    const scenario = fleetScenario();
    for (let i = 2; i < 50; i++) {
      const name = `sandbox-${String(i).padStart(2, '0')}`;
      scenario.clusters[name] =
        i < 40
          ? { objects: [] }
          : {
              objects: [],
              missingKinds: ['Release', 'HelmRelease', 'Kustomization'],
            };
    }
    await showTab(new FakeBackend(scenario), scenario.annotations);
    const sandbox = screen.getByRole('button', {
      name: /^podinfo in sandbox:/,
    });
    expect(sandbox).toHaveTextContent(
      '2/2 ready · not in sandbox-02, sandbox-03, sandbox-04, and 35 more',
    );
    expect(sandbox).toHaveTextContent(
      'no data: sandbox-40, sandbox-41, sandbox-42, and 7 more',
    );
    expect(sandbox).toHaveAccessibleName(
      expect.stringContaining(
        '2/2 ready, not in sandbox-02, sandbox-03, sandbox-04, and 35 more',
      ),
    );
    expect(sandbox).toHaveAccessibleName(
      expect.stringContaining(
        'no data from sandbox-40, sandbox-41, sandbox-42, and 7 more',
      ),
    );
    expect(sandbox).not.toHaveTextContent('sandbox-39');
    expect(sandbox).not.toHaveAccessibleName(
      expect.stringContaining('sandbox-49'),
    );

    await userEvent.click(sandbox);
    const drawer = await screen.findByRole('dialog', {
      name: 'podinfo in sandbox',
    });
    expect(drawer).toHaveTextContent(
      /Not deployed in sandbox-02, .*sandbox-39\./,
    );
    expect(drawer).toHaveTextContent(/No data from sandbox-40, .*sandbox-49:/);
  });

  it('marks how each environment stands against the one before', async () => {
    const scenario = markersScenario();
    await showTab(new FakeBackend(scenario), scenario.annotations);
    expect(cellOf('behind-svc', 'staging')).toHaveTextContent(
      'pending promotion · behind by 1',
    );
    expect(cellOf('ahead-svc', 'staging')).toHaveTextContent(/^ahead/);
    expect(cellOf('values-svc', 'staging')).toHaveTextContent(
      'same version, different values',
    );
    expect(cellOf('git-svc', 'staging')).toHaveTextContent(
      'different revision',
    );
    expect(cellOf('equal-svc', 'staging')).toHaveTextContent(
      '=same as development',
    );
    expect(cellOf('new-svc', 'staging')).toHaveTextContent(/^Not deployed$/);
    // The first environment has nothing before it.
    expect(cellOf('behind-svc', 'development')).not.toHaveTextContent(
      'promotion',
    );
  });

  it('names the environments in a marker by their titles, the versions too for those who cannot hover', async () => {
    const base = markersScenario();
    const scenario = {
      ...base,
      environments: base.environments.map(e => ({
        ...e,
        title: e.name === 'staging' ? 'Staging (EU)' : 'Development',
      })),
    };
    await showTab(new FakeBackend(scenario), scenario.annotations);
    const cell = cellOf('equal-svc', 'Staging \\(EU\\)');
    expect(cell).toHaveTextContent('=same as Development');
    expect(cell).not.toHaveTextContent('same as development');
    expect(cellOf('behind-svc', 'Staging \\(EU\\)')).toHaveTextContent(
      /pending promotion · behind by 1 \(Development runs \S+, Staging \(EU\) runs \S+\)/,
    );
  });

  it('shows which clusters run which version, and the versions a marker compares, to keyboard users too', async () => {
    // jsdom's :focus-visible holds for the first Tab of a page only: MUI
    // tells keyboard focus by the keys pressed instead, as it does in
    // browsers without :focus-visible.
    const matches = Element.prototype.matches;
    jest
      .spyOn(Element.prototype, 'matches')
      .mockImplementation(function focusVisible(
        this: Element,
        selector: string,
      ) {
        if (selector === ':focus-visible') throw new SyntaxError(selector);
        return matches.call(this, selector);
      });
    const scenario = podinfoScenario();
    await showTab(new FakeBackend(scenario), scenario.annotations);
    const production = screen.getByRole('button', {
      name: /^podinfo in production:/,
    });
    const tips = () => screen.queryAllByRole('tooltip').map(t => t.textContent);
    expect(tips()).toEqual([]);
    // Tab onto the cell: its chip and its marker say what they hide.
    screen.getByRole('button', { name: /^podinfo in Staging:/ }).focus();
    await userEvent.tab();
    expect(production).toHaveFocus();
    await waitFor(() =>
      expect(tips()).toEqual(
        expect.arrayContaining([
          'prod-eu: 6.7.1-p01, prod-us: 6.6.3-p01',
          expect.stringMatching(/^Staging runs \S+, production runs \S+$/),
        ]),
      ),
    );
    // Away from it, they go.
    await userEvent.tab();
    await waitFor(() => expect(tips()).toEqual([]));
    // A mouse still shows them on hover.
    await userEvent.hover(within(production).getByText('mixed versions'));
    await waitFor(() =>
      expect(tips()).toEqual(['prod-eu: 6.7.1-p01, prod-us: 6.6.3-p01']),
    );
  });

  it('counts versions behind from the Helm history', async () => {
    const scenario = clusterErrorsScenario();
    await showTab(new FakeBackend(scenario), scenario.annotations);
    expect(cellOf('payments-api', 'production')).toHaveTextContent(
      'pending promotion · behind by 2',
    );
  });
});
