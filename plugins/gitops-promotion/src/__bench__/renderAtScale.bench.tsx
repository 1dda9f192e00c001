/*
 * yarn bench:render: the Promotion tab of a service whose Release runs in
 * every cluster, rendered in jsdom with React's Profiler at 20, 100 and 200
 * clusters (split 10:2:3:5 over sandbox, development, staging, production,
 * as yarn bench's fleet), through the real client and msw answering with
 * the page view the real builders make: the commits up to the one that puts
 * the matrix in the document, and those of the next poll, answered 304. Prints figures; asserts nothing about
 * time (a Jest file run only by this script, never by yarn test).
 */
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { screen, waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { Profiler } from 'react';
import { summarizeView } from '@gitops-promotion/backstage-plugin-common/server';
import { releaseWithChildren } from '@gitops-promotion/backstage-plugin-common/testUtils';
import { FakeBackend, Scenario } from '../__testUtils__/fakeBackend';
import { renderTab } from '../__testUtils__/renderTab';
import { entityWith } from '../__testUtils__/scenarios';

jest.setTimeout(300_000);

const server = setupServer();
registerMswTestHooks(server);

const SPLIT: Array<[string, number]> = [
  ['sandbox', 10],
  ['development', 2],
  ['staging', 3],
  ['production', 5],
];

function fleet(clusters: number): Scenario {
  const environments = SPLIT.map(([name, share]) => ({
    name,
    clusters: Array.from({ length: (clusters * share) / 20 }, (_, i) => ({
      cluster: `${name}-${String(i + 1).padStart(3, '0')}`,
    })),
  }));
  const objects = releaseWithChildren('podinfo', 'apps', { tag: '6.7.1-p01' });
  return {
    entityRef: 'component:default/podinfo',
    environments,
    annotations: { 'gitops-promotion/kubocd-releases': 'apps/podinfo' },
    clusters: Object.fromEntries(
      environments.flatMap(e => e.clusters.map(c => [c.cluster, { objects }])),
    ),
  };
}

const figures: string[] = [];

afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(
    [
      '| clusters | page answer | matrix shown: commits, render time | poll answered 304: commits, render time |',
      '| --- | --- | --- | --- |',
      ...figures,
    ].join('\n'),
  );
});

describe.each([20, 100, 200])('the tab at %i clusters', clusters => {
  it('renders the matrix, then takes a 304 poll', async () => {
    const scenario = fleet(clusters);
    const backend = new FakeBackend(scenario);
    server.use(...backend.handlers());
    const commits: Array<{ phase: string; ms: number }> = [];
    const matrixLabel = 'Versions and states per environment';
    let matrixCommit: number | undefined;
    renderTab(entityWith(scenario.annotations), {
      // Polls every second: the bench waits for one answered 304.
      config: { refreshInterval: '1s' },
      wrap: tab => (
        <Profiler
          id="tab"
          onRender={(_, phase, actualDuration) => {
            commits.push({ phase, ms: actualDuration });
            // Called in the commit phase: the DOM holds what it committed.
            if (
              matrixCommit === undefined &&
              document.querySelector(`table[aria-label="${matrixLabel}"]`)
            ) {
              matrixCommit = commits.length;
            }
          }}
        >
          {tab}
        </Profiler>
      ),
    });
    await screen.findByRole('table', { name: matrixLabel });
    const shown = commits.slice(0, matrixCommit);
    // Steady state: after a first poll (the comparison's cells load
    // meanwhile), the commits from just before the next poll to after it.
    const polls = () => backend.requestsTo('/promotion').length;
    const next = async () => {
      const before = polls();
      await waitFor(() => expect(polls()).toBe(before + 1), { timeout: 3000 });
    };
    await next();
    await new Promise(r => setTimeout(r, 500));
    commits.length = 0;
    await next();
    await new Promise(r => setTimeout(r, 200));
    const sum = (c: typeof commits) => c.reduce((s, x) => s + x.ms, 0);
    const size =
      JSON.stringify(summarizeView(backend.currentView)).length / 1024;
    figures.push(
      `| ${clusters} | ${size.toFixed(1)} KiB | ${shown.length}, ${sum(
        shown,
      ).toFixed(1)} ms | ${commits.length}, ${sum(commits).toFixed(1)} ms |`,
    );
  });
});
