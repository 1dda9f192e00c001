import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { helmRelease } from '@gitops-promotion/backstage-plugin-common/testUtils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import {
  BASE_URL,
  FakeBackend,
  Scenario,
} from '../../__testUtils__/fakeBackend';
import { fakeSignals, renderTab } from '../../__testUtils__/renderTab';
import { SignalApi } from '@backstage/plugin-signals-react';
import {
  entityWith,
  fleetScenario,
  markersScenario,
  paymentsScenario,
  podinfoScenario,
} from '../../__testUtils__/scenarios';

const server = setupServer();
registerMswTestHooks(server);

async function showCompare(
  scenario: Scenario,
  options: { signals?: SignalApi } = {},
) {
  const backend = new FakeBackend(scenario);
  server.use(...backend.handlers());
  renderTab(entityWith(scenario.annotations), options);
  // The comparison mounts once the matrix is on screen.
  await screen.findByText('Compare environments');
  return backend;
}

/** The rows of the side-by-side table, as text per cell. */
function columnRows() {
  const table = screen.getByRole('table', {
    name: 'Environments side by side',
  });
  return within(table)
    .getAllByRole('row')
    .map(r => Array.from(r.children).map(c => c.textContent));
}

/**
 * The diff lines as a person reads them: sign and text. The group found by
 * its label (a role query walks the whole page: slow with a long diff).
 */
async function diffLines(name: string) {
  const diff = await screen.findByLabelText(name, {
    selector: '[role="group"]',
  });
  return Array.from(diff.children).map(line => {
    const sign = line.querySelector('[aria-hidden]')!.textContent;
    return `${sign}${line.textContent!.slice(sign!.length)}`;
  });
}

/** `count` keys `setting0000`…, each with the value `value(i)`. */
function manyKeys(count: number, value: (i: number) => string) {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `setting${String(i).padStart(4, '0')}`,
      value(i),
    ]),
  );
}

/** The payments scenario with the given values in staging and production. */
function withValues(staging: object, production: object) {
  const scenario = paymentsScenario();
  scenario.clusters['staging-eu'].objects[0].spec!.values = staging;
  scenario.clusters['prod-eu'].objects[0].spec!.values = production;
  return scenario;
}

describe('CompareEnvironments', () => {
  it('compares the pending promotion closest to production, with a diff of the values', async () => {
    const backend = await showCompare(paymentsScenario());
    expect(screen.getByLabelText('First environment')).toHaveValue('staging');
    expect(screen.getByLabelText('Second environment')).toHaveValue(
      'production',
    );

    const rows = columnRows();
    expect(rows).toContainEqual(['Version', '2.3.0', '2.1.0']);
    expect(rows).toContainEqual([
      'Config digest',
      'sha256:222222222222',
      'sha256:333333333333',
    ]);

    expect(await diffLines('Helm values of staging and production')).toEqual([
      ' image:',
      '   repository: ghcr.io/example/payments-api',
      '-only in staging: replicaCount: 2',
      '+only in production: replicaCount: 3',
    ]);
    // Long lines scroll sideways: the keyboard reaches the diff to scroll it.
    const lines = screen.getByRole('group', {
      name: 'Helm values of staging and production',
    });
    lines.focus();
    expect(lines).toHaveFocus();
    expect(
      screen.getByText('1 line only in staging (-), 1 only in production (+).'),
    ).toBeInTheDocument();
    // Which key, by its path.
    expect(
      within(screen.getByRole('list', { name: 'Keys that differ' }))
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual(['replicaCount']);
    // The backend compares the two clusters read; no object or events are fetched.
    const [diff, ...more] = backend.requestsTo('/values-diff');
    expect(more).toEqual([]);
    expect(diff.url.pathname).toBe(
      '/api/gitops-promotion/v1/entities/default/component/podinfo/values-diff',
    );
    expect(diff.url.searchParams.get('fromObject')).toBe(
      'staging-eu/helm.toolkit.fluxcd.io/v2/helmreleases/payments/payments-api',
    );
    expect(diff.url.searchParams.get('toObject')).toBe(
      'prod-eu/helm.toolkit.fluxcd.io/v2/helmreleases/payments/payments-api',
    );
    expect(
      backend.requests.filter(r => r.url.pathname.includes('/objects/')),
    ).toEqual([]);
  });

  it('says so when a refresh of a compared cell fails, and keeps the last comparison', async () => {
    const signals = fakeSignals();
    const backend = await showCompare(paymentsScenario(), {
      signals: signals.api,
    });
    await waitFor(() =>
      expect(columnRows()).toContainEqual(['Version', '2.3.0', '2.1.0']),
    );
    backend.fail(503, 'ServiceUnavailableError', 'backend restarting', url =>
      url.pathname.includes('/cells/'),
    );
    signals.send('gitops-promotion:changes', {
      changes: [{ cluster: 'staging-eu' }],
    });
    expect(
      await screen.findByText(
        'Could not refresh the comparison (backend restarting (503)): showing the last data received.',
      ),
    ).toBeVisible();
    expect(columnRows()).toContainEqual(['Version', '2.3.0', '2.1.0']);
    backend.recover();
    signals.send('gitops-promotion:changes', {
      changes: [{ cluster: 'staging-eu' }],
    });
    await waitFor(() =>
      expect(
        screen.queryByText(/^Could not refresh the comparison/),
      ).toBeNull(),
    );
  });

  it('offers to try again when the values could not be compared', async () => {
    const backend = new FakeBackend(paymentsScenario());
    backend.fail(503, 'ServiceUnavailableError', 'backend restarting', url =>
      url.pathname.endsWith('/values-diff'),
    );
    server.use(...backend.handlers());
    renderTab(entityWith(paymentsScenario().annotations));
    expect(
      await screen.findByText(
        'Could not load the values: backend restarting (503)',
      ),
    ).toBeInTheDocument();
    backend.recover();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await diffLines('Helm values of staging and production')).toContain(
      '+only in production: replicaCount: 3',
    );
    expect(screen.queryByText(/Could not load the values/)).toBeNull();
  });

  it('lists the keys that differ instead of a line diff when the values differ in too many lines', async () => {
    // 6,000 lines apart on each side: unbounded, the diff alone takes seconds.
    const scenario = withValues(
      manyKeys(6000, i => `staging-${i}`),
      manyKeys(6000, i => `production-${i}`),
    );
    await showCompare(scenario);
    expect(
      await screen.findByText(
        'The values differ in too many lines to show a line diff; the keys that differ are listed below. 6000 keys differ between staging and production:',
      ),
    ).toBeInTheDocument();
    const keys = within(screen.getByLabelText('Keys that differ')).getAllByRole(
      'listitem',
    );
    expect(keys).toHaveLength(200);
    expect(keys[0]).toHaveTextContent('setting0000');
    expect(keys[199]).toHaveTextContent('setting0199');
    expect(screen.getByText('5,800 more keys not listed.')).toBeInTheDocument();
    expect(
      screen.queryByLabelText('Helm values of staging and production'),
    ).toBeNull();
  });

  it('shows the first 2,000 lines of a long diff and the first 200 keys, and says how many more', async () => {
    // 250 changes, each followed by 8 unchanged lines: 2,247 lines of diff.
    const scenario = withValues(
      manyKeys(2250, i => (i % 9 === 0 ? `staging-${i}` : `same-${i}`)),
      manyKeys(2250, i => (i % 9 === 0 ? `production-${i}` : `same-${i}`)),
    );
    await showCompare(scenario);
    const lines = await diffLines('Helm values of staging and production');
    expect(lines).toHaveLength(2000);
    expect(lines.slice(0, 9)).toEqual([
      '-only in staging: setting0000: staging-0',
      '+only in production: setting0000: production-0',
      ' setting0001: same-1',
      ' setting0002: same-2',
      ' setting0003: same-3',
      '⋯2 unchanged lines',
      ' setting0006: same-6',
      ' setting0007: same-7',
      ' setting0008: same-8',
    ]);
    expect(
      screen.getByText(
        '250 lines only in staging (-), 250 only in production (+).',
      ),
    ).toBeInTheDocument();
    // Unchanged runs left out are not counted as lines.
    expect(
      screen.getByText('219 more lines of the diff not shown.'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByLabelText('Keys that differ')).getAllByRole(
        'listitem',
      ),
    ).toHaveLength(200);
    expect(screen.getByText('50 more keys not listed.')).toBeInTheDocument();
  });

  it('names the keys that differ, not their values, to a user who may not read values', async () => {
    const scenario = paymentsScenario();
    const backend = new FakeBackend(scenario);
    backend.hideValues();
    server.use(...backend.handlers());
    renderTab(entityWith(scenario.annotations));
    // In the app's language (the backend's valuesHidden is English).
    expect(
      await screen.findByText(
        'Values are shown only with the permission gitops-promotion.values.read on component:default/podinfo; the keys that differ are listed instead. 1 key differs between staging and production:',
      ),
    ).toBeInTheDocument();
    const keys = screen.getByRole('list', { name: 'Keys that differ' });
    expect(
      within(keys)
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual(['replicaCount']);
    expect(screen.queryByText(/replicaCount: 2/)).toBeNull();
  });

  it('redacts credentials and says which redacted values differ', async () => {
    const scenario = paymentsScenario();
    const [staging] = scenario.clusters['staging-eu'].objects;
    staging.spec!.values = {
      ...(staging.spec!.values as object),
      database: { password: 'hunter2' },
    };
    const [production] = scenario.clusters['prod-eu'].objects;
    production.spec!.values = {
      ...(production.spec!.values as object),
      database: { password: 'correct horse' },
    };
    await showCompare(scenario);
    const lines = await diffLines('Helm values of staging and production');
    expect(lines).toContain(' database:');
    expect(lines).toContain('   password: <redacted>');
    expect(lines.join('\n')).not.toMatch(/hunter2|correct horse/);
    const redacted = screen.getByRole('list', {
      name: 'Redacted values that differ',
    });
    expect(within(redacted).getByRole('listitem')).toHaveTextContent(
      'database.password',
    );
  });

  it('diffs any two environments the user picks', async () => {
    await showCompare(paymentsScenario());
    await userEvent.selectOptions(
      screen.getByLabelText('First environment'),
      'development',
    );
    expect(
      await diffLines('Helm values of development and production'),
    ).toContain('-only in development: replicaCount: 1');
  });

  it('compares a KuboCD Release by its parameters and HelmRelease values, per cluster', async () => {
    await showCompare(podinfoScenario());
    expect(await diffLines('Helm values of Staging and production')).toEqual([
      ' helmReleases:',
      '   podinfo-main:',
      '-only in Staging:     replicaCount: 2',
      '+only in production:     replicaCount: 3',
      ' parameters:',
      '   host: podinfo.example.com',
    ]);
    await userEvent.selectOptions(
      screen.getByLabelText('Cluster read for production'),
      'prod-us',
    );
    expect(
      await screen.findByText(
        'The Helm values are the same in Staging and production.',
      ),
    ).toBeInTheDocument();
  });

  it('keeps the cluster picker, and the focus on it, while the cluster picked loads', async () => {
    await showCompare(podinfoScenario());
    const picker = await screen.findByLabelText('Cluster read for production');
    picker.focus();
    await userEvent.selectOptions(picker, 'prod-us');
    expect(picker).toHaveFocus();
    expect(picker).toHaveValue(
      (
        within(picker).getByRole('option', {
          name: /prod-us/,
        }) as HTMLOptionElement
      ).value,
    );
    await waitFor(() =>
      expect(columnRows()[0][2]).toBe(
        'productionread from prod-us, namespace apps',
      ),
    );
    expect(picker).toBeInTheDocument();
    expect(picker).toHaveFocus();
  });

  it('shows every row for the cluster read, and the whole environment as such', async () => {
    // production's clusters run different tags with different values.
    await showCompare(podinfoScenario());
    const pick = async (cluster: string) =>
      userEvent.selectOptions(
        await screen.findByLabelText('Cluster read for production'),
        cluster,
      );
    const wholeEnvironment = [
      'All clusters of the environment',
      'staging-eu: 6.7.1-p01 (Failed)',
      'prod-eu: 6.7.1-p01 (Ready)prod-us: 6.6.3-p01 (Ready)',
    ];
    await pick('prod-eu');
    expect(columnRows()).toEqual([
      [
        '',
        'Stagingread from staging-eu, namespace apps',
        'productionread from prod-eu, namespace apps',
      ],
      ['State', 'Failed', 'Ready'],
      ['Version', '6.7.1-p01', '6.7.1-p01'],
      // The artifact pulled, digest included: the version says the tag.
      [
        'Revision',
        '6.7.1-p01@sha256:985e8d8f8a0c4e0e2d7d8b6f36ae1e1bc7f4e5b8c8d2e5a2d1c3b4a5f6e7d8c9',
        '6.7.1-p01@sha256:985e8d8f8a0c4e0e2d7d8b6f36ae1e1bc7f4e5b8c8d2e5a2d1c3b4a5f6e7d8c9',
      ],
      ['Config digest', 'sha256:e15c415d6276', 'sha256:eeeeeeeeeeee'],
      wholeEnvironment,
    ]);
    await pick('prod-us');
    expect(columnRows()).toEqual([
      [
        '',
        'Stagingread from staging-eu, namespace apps',
        'productionread from prod-us, namespace apps',
      ],
      ['State', 'Failed', 'Ready'],
      ['Version', '6.7.1-p01', '6.6.3-p01'],
      [
        'Revision',
        '6.7.1-p01@sha256:985e8d8f8a0c4e0e2d7d8b6f36ae1e1bc7f4e5b8c8d2e5a2d1c3b4a5f6e7d8c9',
        '6.6.3-p01@sha256:985e8d8f8a0c4e0e2d7d8b6f36ae1e1bc7f4e5b8c8d2e5a2d1c3b4a5f6e7d8c9',
      ],
      ['Config digest', 'sha256:e15c415d6276', 'sha256:e15c415d6276'],
      wholeEnvironment,
    ]);
  });

  it('has no values to diff for a Kustomization', async () => {
    await showCompare(markersScenario());
    await userEvent.selectOptions(
      screen.getByLabelText('Workload'),
      'Kustomization/git-svc',
    );
    expect(
      screen.getByText(
        'A Kustomization has no Helm values: compare the revisions above.',
      ),
    ).toBeInTheDocument();
    const rows = within(
      screen.getByRole('table', { name: 'Environments side by side' }),
    ).getAllByRole('row');
    expect(Array.from(rows[3].children).map(c => c.textContent)).toEqual([
      'Revision',
      `main@sha1:${'a'.repeat(40)}`,
      `main@sha1:${'b'.repeat(40)}`,
    ]);
  });

  it('falls back to the default pair when a chosen environment is gone', async () => {
    const backend = await showCompare(paymentsScenario());
    await userEvent.selectOptions(
      screen.getByLabelText('First environment'),
      'development',
    );
    // The backend restarted with the environment renamed.
    const renamed = paymentsScenario();
    renamed.environments[0] = { ...renamed.environments[0], name: 'dev' };
    backend.update(renamed);
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    const first = screen.getByLabelText('First environment');
    expect(
      await within(first).findByRole('option', { name: 'dev' }),
    ).toBeInTheDocument();
    expect(first).toHaveValue('staging');
    expect(screen.getByLabelText('Second environment')).toHaveValue(
      'production',
    );
  });

  it('reads either namespace of a cluster that holds the workload twice', async () => {
    const svc = (namespace: string, replicaCount: number) => {
      const hr = helmRelease('svc', namespace, {
        chart: 'svc',
        version: '1.0.0',
        source: { kind: 'HelmRepository', name: 'charts' },
        labels: { 'app.kubernetes.io/part-of': 'shop' },
      });
      hr.spec!.values = { replicaCount };
      return hr;
    };
    await showCompare({
      environments: [
        { name: 'staging', clusters: [{ cluster: 'staging-eu' }] },
        {
          name: 'production',
          clusters: [{ cluster: 'shared', namespaces: ['team-a', 'team-b'] }],
        },
      ],
      annotations: {
        'gitops-promotion/label-selector': 'app.kubernetes.io/part-of=shop',
      },
      clusters: {
        'staging-eu': { objects: [svc('shop', 2)] },
        shared: { objects: [svc('team-a', 2), svc('team-b', 3)] },
      },
    });
    expect(
      await screen.findByText(
        'The Helm values are the same in staging and production.',
      ),
    ).toBeInTheDocument();
    await userEvent.selectOptions(
      screen.getByLabelText('Cluster read for production'),
      'shared, namespace team-b',
    );
    expect(await diffLines('Helm values of staging and production')).toEqual([
      '-only in staging: replicaCount: 2',
      '+only in production: replicaCount: 3',
    ]);
  });

  it('reads a cluster of a 50-cluster environment whose clusters all come in brief, asking for its chain', async () => {
    const scenario = fleetScenario();
    scenario.clusters['sandbox-07'] = scenario.clusters['sandbox-00'];
    const backend = await showCompare(scenario);
    await userEvent.selectOptions(
      await screen.findByLabelText('First environment'),
      'sandbox',
    );
    const picker = await screen.findByLabelText('Cluster read for sandbox');
    expect(within(picker).getAllByRole('option')).toHaveLength(50);
    expect(
      await screen.findByText('read from sandbox-00, namespace apps'),
    ).toBeInTheDocument();
    await userEvent.selectOptions(picker, 'sandbox-42');
    expect(
      await screen.findByText('read from sandbox-42, namespace apps'),
    ).toBeInTheDocument();
    expect(columnRows()[2]).toEqual(['Version', '6.7.1-p00', '6.6.3-p01']);
    expect(
      backend
        .requestsTo('/cells/sandbox/Release/podinfo')
        .map(r => r.url.searchParams.get('cluster')),
    ).toEqual([null, 'sandbox-00', 'sandbox-42']);

    // The workload leaves sandbox-42; read again (away and back): the
    // first cluster is read instead, and the picker stays.
    const gone = structuredClone(scenario);
    gone.clusters['sandbox-42'] = { objects: [] };
    backend.update(gone);
    const first = screen.getByLabelText('First environment');
    await userEvent.selectOptions(first, 'staging');
    await userEvent.selectOptions(first, 'sandbox');
    expect(
      await screen.findByText('read from sandbox-00, namespace apps'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Cluster read for sandbox')).toBeVisible();
  });

  it('does not say an environment whose clusters all come in brief is not deployed while its first cluster loads', async () => {
    const scenario = fleetScenario();
    scenario.clusters['sandbox-07'] = scenario.clusters['sandbox-00'];
    const backend = await showCompare(scenario);
    // The chain of the cluster read waits until the test lets it through.
    let asked = false;
    let answer!: () => void;
    const answered = new Promise<void>(resolve => {
      answer = resolve;
    });
    server.use(
      http.get(
        `${BASE_URL}/v1/entities/:namespace/:kind/:name/cells/sandbox/:workloadKind/:workloadName`,
        async ({ request }) => {
          if (!new URL(request.url).searchParams.get('cluster')) return;
          asked = true;
          await answered;
        },
      ),
    );
    await userEvent.selectOptions(
      await screen.findByLabelText('First environment'),
      'sandbox',
    );
    await waitFor(() => expect(asked).toBe(true));
    expect(backend.requestsTo('/cells/sandbox/Release/podinfo')).toHaveLength(
      1,
    );
    expect(screen.queryByText(/^Not deployed in sandbox/)).toBeNull();
    expect(
      screen.queryByText('read from sandbox-00, namespace apps'),
    ).toBeNull();
    answer();
    expect(
      await screen.findByText('read from sandbox-00, namespace apps'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/^Not deployed in sandbox/)).toBeNull();
  });
});
