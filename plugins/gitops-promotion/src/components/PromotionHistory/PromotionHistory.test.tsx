import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { lightTheme } from '@backstage/theme';
import { getContrastRatio } from '@material-ui/core/styles';
import { PromotionHistoryEntry } from '@gitops-promotion/backstage-plugin-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { BASE_URL, FakeBackend } from '../../__testUtils__/fakeBackend';
import { fakeSignals, renderTab } from '../../__testUtils__/renderTab';
import { releaseWithChildren } from '@gitops-promotion/backstage-plugin-common/testUtils';
import { entityWith, podinfoScenario } from '../../__testUtils__/scenarios';

const server = setupServer();
registerMswTestHooks(server);

const ENVIRONMENT: Record<string, string> = {
  'dev-eu': 'development',
  'staging-eu': 'staging',
  'prod-eu': 'production',
  'prod-us': 'production',
};

/** An entry as the backend's history route answers it. */
function entry(
  cluster: string,
  at: string,
  state: PromotionHistoryEntry['state'],
  version: string,
  extra: Partial<PromotionHistoryEntry> = {},
): PromotionHistoryEntry {
  return {
    workload: 'Release/podinfo',
    kind: 'Release',
    name: 'podinfo',
    environment: ENVIRONMENT[cluster],
    cluster,
    namespace: 'apps',
    at: `2026-11-${at}.000Z`,
    state,
    ...(state !== 'Ready' ? { reason: 'UpgradeFailed' } : {}),
    version,
    ...extra,
  };
}

const HISTORY = [
  entry('dev-eu', '01T10:00:00', 'Ready', '6.5.0'),
  entry('staging-eu', '01T12:00:00', 'Ready', '6.5.0'),
  entry('prod-eu', '02T10:00:00', 'Ready', '6.5.0'),
  entry('prod-us', '02T10:30:00', 'Ready', '6.5.0'),
  entry('dev-eu', '03T10:00:00', 'Ready', '6.6.0'),
  entry('staging-eu', '03T12:00:00', 'Failed', '6.5.0', {
    targetVersion: '6.6.0',
    summary: 'The Helm upgrade of HelmRelease apps/podinfo failed',
    category: 'configuration',
  }),
  entry('staging-eu', '03T14:00:00', 'Ready', '6.6.0'),
  entry('prod-eu', '04T10:00:00', 'Ready', '6.6.0'),
  entry('prod-us', '04T10:00:00', 'Ready', '6.6.0'),
];

function serve(history: PromotionHistoryEntry[]) {
  const backend = new FakeBackend(podinfoScenario());
  backend.setHistory(history);
  server.use(...backend.handlers());
  return backend;
}

/** Development runs podinfo `tag` now, and the tab is told (a change signal). */
function developmentRuns(
  backend: FakeBackend,
  signals: ReturnType<typeof fakeSignals>,
  tag: string,
) {
  const next = podinfoScenario();
  next.clusters['dev-eu'].objects = releaseWithChildren('podinfo', 'apps', {
    tag,
  });
  backend.update(next);
  signals.send('gitops-promotion:changes', {
    changes: [{ cluster: 'dev-eu', namespaces: ['apps'] }],
  });
}

const historyRequests = (backend: FakeBackend) =>
  backend.requests.filter(r => r.url.pathname.endsWith('/history'));

/** The podinfo tab with its history shown. */
async function openTab() {
  renderTab(entityWith({ 'gitops-promotion/kubocd-releases': 'apps/podinfo' }));
  await userEvent.click(
    await screen.findByRole('button', { name: 'Show history' }),
  );
}

/** The tab's history table of podinfo's versions. */
async function openHistory() {
  await openTab();
  return screen.findByRole('table', {
    name: 'Versions of KuboCD Release podinfo per environment',
  });
}

describe('PromotionHistory', () => {
  it('reads the history only when asked, then shows versions newest first per environment', async () => {
    const backend = serve(HISTORY);
    renderTab(
      entityWith({ 'gitops-promotion/kubocd-releases': 'apps/podinfo' }),
    );
    const show = await screen.findByRole('button', { name: 'Show history' });
    expect(historyRequests(backend)).toHaveLength(0);
    await userEvent.click(show);

    const table = await screen.findByRole('table', {
      name: 'Versions of KuboCD Release podinfo per environment',
    });
    const rows = within(table).getAllByRole('row');
    expect(
      rows.map(r => (r as HTMLTableRowElement).cells[0].textContent),
    ).toEqual(['Version', '6.6.0', '6.5.0']);
    expect(
      within(table)
        .getAllByRole('rowheader')
        .map(h => h.textContent),
    ).toEqual(['6.6.0', '6.5.0']);
    const [, v660, v650] = rows;
    // 6.6.0 failed once in staging before it got there, and runs everywhere.
    const failed = within(v660).getByText('1 failed attempt');
    // Readable (WCAG AA 4.5:1) on the page, not the palette's error red.
    expect(
      getContrastRatio(
        getComputedStyle(failed).color,
        lightTheme.palette.background.default,
      ),
    ).toBeGreaterThanOrEqual(4.5);
    expect(within(v660).getAllByText('running')).toHaveLength(3);
    // From development (3rd, 10:00) to production (4th, 10:00).
    expect(within(v660).getByText('24h to production')).toBeInTheDocument();
    // 6.5.0 ran about 2 days in each environment, until 6.6.0 replaced it.
    expect(within(v650).getAllByText('ran 2d')).toHaveLength(3);
    expect(within(v650).queryByText('1 failed attempt')).toBeNull();
    // Per cluster, in a disclosure the keyboard opens.
    const production = (v650 as HTMLTableRowElement).cells[3];
    const arrivals = within(production).getByText(/^in \d+ clusters?$/);
    expect(arrivals.closest('summary')).not.toBeNull();
    expect(
      within(production)
        .getAllByText(/^prod-(eu|us): /)
        .map(c => c.textContent!.split(':')[0])
        .sort(),
    ).toEqual(['prod-eu', 'prod-us']);

    expect(
      screen.getByText('Staging: 1 failure, mean time to restore 2h'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /restored after 2h \(The Helm upgrade of HelmRelease apps\/podinfo failed\)/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('production: no failures')).toBeInTheDocument();
    expect(
      historyRequests(backend).map(r => r.url.searchParams.get('limit')),
    ).toEqual(['1000']);
  });

  it('says a version failing an upgrade when first recorded was there before', async () => {
    // The journal began with staging failing its upgrade from 6.5.0.
    serve([
      entry('dev-eu', '01T10:00:00', 'Ready', '6.6.0'),
      entry('staging-eu', '01T12:00:00', 'Failed', '6.5.0', {
        targetVersion: '6.6.0',
      }),
      entry('prod-eu', '01T09:00:00', 'Ready', '6.5.0'),
    ]);
    const table = await openHistory();
    const v650 = within(table)
      .getByRole('rowheader', { name: '6.5.0' })
      .closest('tr') as HTMLTableRowElement;
    const staging = v650.cells[2];
    // In the app's language (English here), to the minute.
    const before = new Intl.DateTimeFormat('en', {
      dateStyle: 'medium',
      timeStyle: 'short',
    }).format(new Date('2026-11-01T12:00:00.000Z'));
    expect(within(staging).getByText(`here before ${before}`)).toBeVisible();
    expect(
      within(staging).getByText(`staging-eu: before ${before}`),
    ).toBeInTheDocument();
    // Whether 6.5.0 reached staging before production is not known.
    expect(v650.cells[4]).toHaveTextContent(/^$/);
  });

  it('counts a cluster a version reached twice (rolled back to) once', async () => {
    serve([
      entry('dev-eu', '01T10:00:00', 'Ready', '6.5.0'),
      entry('dev-eu', '02T10:00:00', 'Ready', '6.6.0'),
      entry('dev-eu', '03T10:00:00', 'Ready', '6.5.0'),
    ]);
    const table = await openHistory();
    const development = (
      within(table)
        .getByRole('rowheader', { name: '6.5.0' })
        .closest('tr') as HTMLTableRowElement
    ).cells[1];
    expect(within(development).getByText('in 1 cluster')).toBeInTheDocument();
    // Both arrivals are listed under it.
    expect(within(development).getAllByText(/^dev-eu: /)).toHaveLength(2);
  });

  it('follows the pages the backend gives', async () => {
    // More than a page: dev-eu fails and recovers 600 times.
    const flapping = Array.from({ length: 1200 }, (_, i) =>
      entry(
        'dev-eu',
        `0${1 + Math.floor(i / 600)}T${String(
          Math.floor((i % 600) / 60),
        ).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`,
        i % 2 === 0 ? 'Failed' : 'Ready',
        '6.5.0',
      ),
    );
    const backend = serve(flapping);
    await openTab();
    expect(
      await screen.findByText(/^development: 600 failures/),
    ).toBeInTheDocument();
    expect(historyRequests(backend)).toHaveLength(2);
    // The second page asked with the first page's cursor, as given.
    expect(historyRequests(backend)[1].url.searchParams.get('cursor')).toBe(
      backend.givenCursors[0],
    );
  });

  it('reads the history again when the view changes, and keeps what it showed when that fails', async () => {
    const signals = fakeSignals();
    const backend = serve(HISTORY);
    renderTab(
      entityWith({ 'gitops-promotion/kubocd-releases': 'apps/podinfo' }),
      { signals: signals.api },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Show history' }),
    );
    const versions = async () =>
      within(
        await screen.findByRole('table', {
          name: 'Versions of KuboCD Release podinfo per environment',
        }),
      )
        .getAllByRole('rowheader')
        .map(h => h.textContent);
    expect(await versions()).toEqual(['6.6.0', '6.5.0']);

    // 6.7.0 reaches development: the view changes, the journal has it.
    backend.setHistory([
      ...HISTORY,
      entry('dev-eu', '05T10:00:00', 'Ready', '6.7.0'),
    ]);
    developmentRuns(backend, signals, '6.7.0');
    await waitFor(async () =>
      expect(await versions()).toEqual(['6.7.0', '6.6.0', '6.5.0']),
    );
    expect(historyRequests(backend)).toHaveLength(2);

    backend.fail(503, 'ServiceUnavailableError', 'database unavailable', url =>
      url.pathname.endsWith('/history'),
    );
    developmentRuns(backend, signals, '6.7.1');
    expect(
      await screen.findByText(
        'Could not refresh the history (database unavailable (503)): showing the last entries received.',
      ),
    ).toBeInTheDocument();
    expect(await versions()).toEqual(['6.7.0', '6.6.0', '6.5.0']);
  });

  it('stops reading pages once the history is hidden', async () => {
    const many = Array.from({ length: 4500 }, (_, i) =>
      entry('dev-eu', '01T10:00:00', 'Ready', `6.${i}.0`),
    );
    const backend = serve(many);
    // The first page waits until the history is hidden again.
    let answer = () => {};
    const hidden = new Promise<void>(resolve => {
      answer = resolve;
    });
    let asked = 0;
    server.use(
      http.get(`${BASE_URL}/v1/entities/:namespace/:kind/:name/history`, () => {
        asked += 1;
        return hidden.then(() => undefined);
      }),
    );
    await openTab();
    await waitFor(() => expect(asked).toBe(1));
    await userEvent.click(screen.getByRole('button', { name: 'Hide history' }));
    answer();
    await new Promise(r => setTimeout(r, 300));
    // One page read, not the five a shown history reads.
    expect(historyRequests(backend)).toHaveLength(1);
  });

  it('says that a refresh failed beside an empty history too', async () => {
    const signals = fakeSignals();
    const backend = serve([]);
    renderTab(
      entityWith({ 'gitops-promotion/kubocd-releases': 'apps/podinfo' }),
      { signals: signals.api },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Show history' }),
    );
    expect(
      await screen.findByText(/No changes recorded yet/),
    ).toBeInTheDocument();
    backend.fail(503, 'ServiceUnavailableError', 'database unavailable', url =>
      url.pathname.endsWith('/history'),
    );
    developmentRuns(backend, signals, '6.7.0');
    expect(
      await screen.findByText(
        'Could not refresh the history (database unavailable (503)): showing the last entries received.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/No changes recorded yet/)).toBeInTheDocument();
  });

  it('says when nothing is recorded yet, and when the history cannot be read, with a way to try again', async () => {
    const backend = serve([]);
    await openTab();
    expect(
      await screen.findByText(/No changes recorded yet/),
    ).toBeInTheDocument();

    backend.fail(503, 'ServiceUnavailableError', 'database unavailable');
    await userEvent.click(screen.getByRole('button', { name: 'Hide history' }));
    await userEvent.click(screen.getByRole('button', { name: 'Show history' }));
    expect(
      await screen.findByText(
        /Could not load the history: .*database unavailable/,
      ),
    ).toBeInTheDocument();
    backend.recover();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByText(/No changes recorded yet/),
    ).toBeInTheDocument();
  });
});
