import fs from 'node:fs';
import path from 'node:path';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { KubeObject } from '@gitops-promotion/backstage-plugin-common';
import { parseKubectlYaml } from '@gitops-promotion/backstage-plugin-common/server';
import { FakeBackend, Scenario } from '../../__testUtils__/fakeBackend';
import { renderTab } from '../../__testUtils__/renderTab';
import { entityWith } from '../../__testUtils__/scenarios';

// Two full renders of the tab and drawer; the first also loads every module.
jest.setTimeout(30_000);

const server = setupServer();
registerMswTestHooks(server);

/** A scenario captured from real Flux by scripts/flux/capture-fixtures.sh. */
function captured(scenario: string): KubeObject[] {
  const dir = path.join(
    path.dirname(
      require.resolve('@gitops-promotion/backstage-plugin-common/package.json'),
    ),
    'src/__fixtures__/real-flux',
  );
  return parseKubectlYaml(
    fs.readFileSync(path.join(dir, `${scenario}.yaml`), 'utf8'),
  ) as KubeObject[];
}

function scenarioOf(objects: KubeObject[], annotation: string): Scenario {
  return {
    entityRef: 'component:default/notification-service',
    environments: [{ name: 'development', clusters: [{ cluster: 'dev' }] }],
    annotations: { [annotation.split('=')[0]]: annotation.split('=')[1] },
    clusters: { dev: { objects } },
  };
}

async function openCell(scenario: Scenario, cell: RegExp) {
  const backend = new FakeBackend(scenario);
  server.use(...backend.handlers());
  renderTab(entityWith(scenario.annotations, 'notification-service'));
  await screen.findByRole('table', {
    name: 'Versions and states per environment',
  });
  const button = screen.getByRole('button', { name: cell });
  await userEvent.click(button);
  return { backend, button, drawer: await screen.findByRole('dialog') };
}

describe('the drill-down on real Flux objects', () => {
  it('says Flux gave up on a rolled-back upgrade, and lists its Helm releases newest first', async () => {
    const objects = captured('helmrelease-upgrade-rolled-back');
    const { backend, button, drawer } = await openCell(
      scenarioOf(
        objects,
        'gitops-promotion/helm-releases=helm-rollback/notification-service',
      ),
      /^notification-service in development: Failed/,
    );
    expect(button).toHaveAccessibleName(
      expect.stringContaining(
        'Flux gave up (Stalled): it tries again once the object or its source changes',
      ),
    );
    expect(within(button).getByText('Flux gave up (Stalled)')).toBeVisible();
    expect(
      within(drawer).getByText(
        'Flux gave up (Stalled): it tries again once the object or its source changes.',
      ),
    ).toBeVisible();

    await userEvent.click(
      within(drawer).getAllByRole('button', { name: 'Show history' })[0],
    );
    const table = await within(drawer).findByRole('table', {
      name: 'History of HelmRelease helm-rollback/notification-service',
    });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(row =>
        within(row)
          .getAllByRole('cell')
          .slice(0, 3)
          .map(c => c.textContent),
      );
    const hr = objects.find(o => o.kind === 'HelmRelease')!;
    const expected = [...hr.status!.history!]
      .sort((a, b) => b.version! - a.version!)
      .map(h => [
        String(h.version),
        `notification-service@${h.chartVersion}`,
        h.status,
      ]);
    expect(rows).toEqual(expected);
    expect(rows[0][2]).toBe('deployed');
    // Its events (open at once: it is the root cause) and its history are
    // one read of the object, not two.
    expect(
      within(drawer).getAllByRole('button', { name: 'Hide events' }),
    ).toHaveLength(1);
    expect(
      backend.requestsTo(
        '/objects/dev/helm.toolkit.fluxcd.io/v2/helmreleases/helm-rollback/notification-service',
      ),
    ).toHaveLength(1);
  });

  it("lists the revisions a Kustomization applied, with kustomize-controller's counts", async () => {
    const objects = captured('kustomization-ready');
    const { button, drawer } = await openCell(
      scenarioOf(
        objects,
        'gitops-promotion/kustomizations=git-ready/app-ready',
      ),
      /^app-ready in development: Ready/,
    );
    expect(within(button).queryByText(/Flux retrying|Flux gave up/)).toBeNull();
    await userEvent.click(
      within(drawer).getByRole('button', { name: 'Show history' }),
    );
    const table = await within(drawer).findByRole('table', {
      name: 'History of Kustomization git-ready/app-ready',
    });
    const ks = objects.find(o => o.kind === 'Kustomization')!;
    const revisions = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(row => within(row).getAllByRole('cell')[0].textContent);
    expect(revisions).toEqual(
      ks.status!.history!.map(h => h.metadata!.revision),
    );
  });
});
