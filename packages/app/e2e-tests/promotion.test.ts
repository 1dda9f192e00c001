import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test } from '@playwright/test';

const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? '.test-results/screenshots';

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

/** Signs in as guest and opens an entity's Promotion tab: its matrix. */
async function openTab(page: Page, entity: string) {
  await signIn(page);
  await page.goto(`/catalog/default/component/${entity}/promotion`);
  return page.getByRole('table', {
    name: 'Versions and states per environment',
  });
}

/** WCAG 2 A/AA violations (colour contrast included) inside `selector`. */
async function accessibilityViolations(page: Page, selector: string) {
  const { violations } = await new AxeBuilder({ page })
    .include(selector)
    .withTags(['wcag2a', 'wcag2aa'])
    .analyze();
  return violations.flatMap(v =>
    v.nodes.map(
      n =>
        `${v.id} at ${n.target.join(' ')}: ${
          [...n.any, ...n.all].map(check => check.message).join('; ') || v.help
        } ${n.html.slice(0, 120)}`,
    ),
  );
}

test.describe('Promotion tab on the embedded demo', () => {
  test('shows where each version runs, why staging fails, and what to run next', async ({
    page,
  }) => {
    const matrix = await openTab(page, 'podinfo');
    await expect(
      matrix.getByRole('columnheader', { name: /Sandbox/ }),
    ).toBeVisible();
    for (const env of ['Development', 'Staging', 'Production']) {
      await expect(
        matrix.getByRole('columnheader', { name: new RegExp(env) }),
      ).toBeVisible();
    }
    await expect(
      matrix.getByRole('rowheader', { name: /podinfo/ }),
    ).toBeVisible();

    const staging = matrix.getByRole('button', {
      name: /^podinfo in Staging: Failed/,
    });
    await expect(staging).toContainText('6.7.1-p01 → 6.7.1-p02');
    await expect(
      matrix.getByRole('button', {
        name: /^podinfo in Development: Ready for \w+, version 6\.7\.1-p02/,
      }),
    ).toBeVisible();
    await expect(
      matrix.getByRole('button', {
        name: /^podinfo in Production: Ready for \w+, version 6\.6\.3-p01, 2\/2 ready, mixed versions/,
      }),
    ).toContainText('2/2 ready');
    await expect(
      matrix.getByText('pending promotion · behind by 1').first(),
    ).toBeVisible();

    // The unreachable sandbox is named beside the data of the clusters that answered.
    await expect(
      page.getByText('sandbox-carol: cannot reach the API server'),
    ).toBeVisible();
    await expect(
      matrix.getByRole('button', {
        name: /^podinfo in Sandbox: .*no data from sandbox-carol/,
      }),
    ).toBeVisible();

    await staging.click();
    const drawer = page.getByRole('dialog');
    await expect(drawer.getByText('KuboCD phase WAIT_OCI')).toBeVisible();
    await expect(
      drawer.getByText(
        'OCIRepository apps/kcd-podinfo cannot pull oci://quay.io/kubodoc/packages/podinfo:6.7.1-p02 (credentials rejected)',
        { exact: false },
      ),
    ).toBeVisible();
    await expect(
      drawer.getByText(
        'kubectl --context staging-eu -n apps describe ocirepository kcd-podinfo',
      ),
    ).toBeVisible();
    // The root cause's events come from the object endpoint, read on demand.
    await expect(
      drawer.getByText('OCIArtifactPullFailed').first(),
    ).toBeVisible();
    await expect(drawer.getByText(/238/).first()).toBeVisible();
    // Guest owns podinfo (team-platform): the demo policy lets owners act in staging.
    await expect(
      drawer.getByRole('button', {
        name: 'Reconcile OCIRepository kcd-podinfo',
      }),
    ).toBeVisible();

    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
    await expect(staging).toBeFocused();
  });

  test('counts a production two versions behind staging', async ({ page }) => {
    const matrix = await openTab(page, 'payments-api');
    await expect(
      matrix.getByRole('button', {
        name: /^payments-api in Production: Ready for \w+, version 2\.1\.0/,
      }),
    ).toBeVisible();
    await expect(
      matrix.getByText('pending promotion · behind by 2'),
    ).toBeVisible();
  });

  test("shows the journal's promotion history, recorded from the demo clusters' status.history", async ({
    page,
  }) => {
    const matrix = await openTab(page, 'payments-api');
    await expect(
      matrix.getByRole('button', { name: /^payments-api in Production:/ }),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Show history' }).click();
    const versions = page.getByRole('table', {
      name: 'Versions of Flux HelmRelease payments-api per environment',
    });
    await expect(versions).toBeVisible();
    // Production runs 2.1.0, deployed (lastDeployed) on 2026-10-08.
    const running = versions.getByRole('row').filter({
      has: page.getByRole('rowheader', { name: '2.1.0', exact: true }),
    });
    await expect(running).toHaveCount(1);
    await expect(running).toContainText('reached');
    // When it reached each cluster: disclosures the keyboard opens.
    for (const summary of await running.locator('summary').all()) {
      await summary.focus();
      await summary.press('Enter');
    }
    await expect(running.getByText(/^prod-(eu|us): /).first()).toBeVisible();
    await expect(
      page.getByRole('button', { name: 'Hide history' }),
    ).toBeVisible();
  });

  test('says why the demo policy offers no action, and shows values only to owners', async ({
    page,
  }) => {
    const matrix = await openTab(page, 'podinfo');
    // Only the on-call group acts in production.
    await matrix
      .getByRole('button', { name: /^podinfo in Production:/ })
      .click();
    const prodEu = page.getByRole('dialog').getByRole('region', {
      name: 'prod-eu',
    });
    await expect(
      prodEu.getByText(
        'Suspend not offered: The permission policy does not allow gitops-promotion.object.suspend on Release apps/podinfo in cluster prod-eu (environment production).',
      ),
    ).toBeVisible();
    await expect(prodEu.getByRole('button', { name: 'Suspend' })).toHaveCount(
      0,
    );
    // The reasons are readable text, not a disabled control.
    expect(await accessibilityViolations(page, '[role="dialog"]')).toEqual([]);
    await page.keyboard.press('Escape');
    // An owner reads the values diff, credentials redacted.
    await expect(
      page.getByRole('group', {
        name: /^Helm values of Staging and Production/,
      }),
    ).toBeVisible();

    // payments-api belongs to team-payments: no action, keys only.
    await page.goto('/catalog/default/component/payments-api/promotion');
    await expect(
      page.getByText(
        'Values are shown only with the permission gitops-promotion.values.read on component:default/payments-api; the keys that differ are listed instead.',
        { exact: false },
      ),
    ).toBeVisible();
    await expect(
      page.getByRole('list', { name: 'Keys that differ' }),
    ).toContainText('replicaCount');
    await page
      .getByRole('button', { name: /^payments-api in Development:/ })
      .click();
    await expect(
      page
        .getByRole('dialog')
        .getByText(
          'Reconcile and Suspend not offered: Not allowed: gitops-promotion.reconcile on component:default/payments-api.',
        ),
    ).toBeVisible();
  });

  test('tells the owners of a workload failing in production, and the notification opens the failing cell', async ({
    page,
  }) => {
    // The backend's first notification check runs 30 s after it starts.
    test.setTimeout(150_000);
    await signIn(page);
    const notification = page.getByRole('link', {
      name: 'inventory-service is failing in Production',
    });
    await expect(async () => {
      await page.goto('/notifications');
      await expect(notification).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 100_000 });
    await notification.click();
    await expect(page).toHaveURL(
      /\/catalog\/default\/component\/inventory-service\/promotion\?workload=Kustomization%2Finventory-service&environment=production$/,
    );
    const drawer = page.getByRole('dialog', {
      name: 'inventory-service in Production',
    });
    await expect(drawer).toBeVisible();
    await expect(
      drawer.getByText(/authentication required/).first(),
    ).toBeVisible();
    await page.screenshot({
      path: `${SCREENSHOTS}/notification-opens-cell.png`,
    });
  });

  test('offers no tab for an entity without annotations', async ({ page }) => {
    await signIn(page);
    await page.goto('/catalog/default/component/legacy-billing');
    const tabs = page.getByRole('navigation', { name: 'Content navigation' });
    await expect(tabs.getByRole('link', { name: 'Overview' })).toBeVisible();
    await expect(tabs.getByRole('link', { name: 'Promotion' })).toHaveCount(0);
    await page.goto('/catalog/default/component/podinfo');
    await expect(tabs.getByRole('link', { name: 'Promotion' })).toHaveAttribute(
      'href',
      '/catalog/default/component/podinfo/promotion',
    );
  });

  test("updates an open tab from the backend's change signal", async ({
    page,
    context,
  }) => {
    const url = '/catalog/default/component/inventory-service/promotion';
    const cellName = (state: string) =>
      new RegExp(`^inventory-service in Development: ${state}`);
    const signals: string[] = [];
    page.on('websocket', ws =>
      ws.on('framereceived', frame => {
        if (String(frame.payload).includes('gitops-promotion:changes'))
          signals.push(String(frame.payload));
      }),
    );
    await signIn(page);
    await page.goto(url);
    const matrix = page.getByRole('table', {
      name: 'Versions and states per environment',
    });
    await expect(
      matrix.getByRole('button', { name: cellName('Ready') }),
    ).toBeVisible();

    // Someone else suspends the Kustomization from their own tab.
    const other = await context.newPage();
    await other.goto(url);
    await other.getByRole('button', { name: cellName('Ready') }).click();
    await other
      .getByRole('dialog')
      .getByRole('button', { name: 'Suspend', exact: true })
      .click();
    // Suspend asks first.
    const confirm = other.getByRole('dialog', {
      name: /^Suspend Kustomization/,
    });
    await confirm.getByRole('button', { name: 'Suspend', exact: true }).click();
    await expect(confirm).toHaveCount(0);
    await expect(
      other.getByRole('dialog').getByText(/^Suspended Kustomization/),
    ).toBeVisible();

    // The first tab shows it before its next poll (10 s), by the signal;
    // not at once, as a loaded machine takes seconds.
    await expect(
      matrix.getByRole('button', { name: cellName('Suspended') }),
    ).toBeVisible({ timeout: 8_000 });
    expect(signals.length).toBeGreaterThan(0);

    // Leave the demo as it was for the other tests.
    await other
      .getByRole('dialog')
      .getByRole('button', { name: 'Resume', exact: true })
      .click();
    await expect(
      matrix.getByRole('button', { name: cellName('Ready') }),
    ).toBeVisible({ timeout: 8_000 });
    await other.close();
  });

  for (const theme of ['light', 'dark']) {
    test(`is readable and accessible in the ${theme} theme`, async ({
      page,
    }) => {
      await page.addInitScript(id => {
        window.localStorage.setItem('theme', id);
      }, theme);
      const matrix = await openTab(page, 'podinfo');
      await expect(
        matrix.getByRole('button', { name: /^podinfo in Staging: Failed/ }),
      ).toBeVisible();
      // The matrix, its banners and the compare panel: the plugin's own content.
      expect(await accessibilityViolations(page, 'main')).toEqual([]);
      await page.screenshot({
        path: `${SCREENSHOTS}/promotion-tab-${theme}.png`,
        fullPage: true,
      });

      await matrix
        .getByRole('button', { name: /^podinfo in Staging: Failed/ })
        .click();
      const drawer = page.getByRole('dialog');
      await expect(drawer.getByText('KuboCD phase WAIT_OCI')).toBeVisible();
      await expect(
        drawer.getByText('OCIArtifactPullFailed').first(),
      ).toBeVisible();
      expect(await accessibilityViolations(page, '[role="dialog"]')).toEqual(
        [],
      );
      await page.screenshot({
        path: `${SCREENSHOTS}/promotion-drill-down-${theme}.png`,
      });
    });
  }
});

test.describe('Promotion overview on the embedded demo', () => {
  test("the sidebar's GitOps Promotion page counts what fails and waits, and a row opens the component's drill-down", async ({
    page,
  }) => {
    await signIn(page);
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'GitOps Promotion' })
      .click();
    await expect(page).toHaveURL(/\/gitops-promotion$/);
    const counts = page.getByRole('status').filter({ hasText: 'components' });
    await expect(counts).toContainText('1 failing in Staging');
    await expect(counts).toContainText('pending promotion to Production');
    // Grouped by owner: team-platform owns podinfo.
    const platform = page.getByRole('table', {
      name: /^Promotion overview.*: team-platform$/,
    });
    await expect(
      platform.getByRole('rowheader', { name: /podinfo/ }),
    ).toBeVisible();
    // The page's content (core-components' Content is an article).
    expect(await accessibilityViolations(page, 'article')).toEqual([]);

    await page
      .getByRole('group', { name: 'Show only' })
      .getByText('Failing')
      .click();
    await expect(
      page.getByRole('rowheader', { name: /web-frontend/ }),
    ).toHaveCount(0);
    await platform.getByRole('link', { name: 'podinfo', exact: true }).click();
    await expect(page).toHaveURL(
      /\/catalog\/default\/component\/podinfo\/promotion\?workload=Release%2Fpodinfo&environment=staging$/,
    );
    await expect(
      page.getByRole('dialog', { name: 'podinfo in Staging' }),
    ).toBeVisible();
  });

  test("a Group's Promotion tab shows the components of its child groups", async ({
    page,
  }) => {
    await signIn(page);
    await page.goto('/catalog/default/group/engineering/promotion');
    const table = page.getByRole('table', { name: /^Promotion overview/ });
    for (const component of ['payments-api', 'podinfo', 'web-frontend']) {
      await expect(
        table.getByRole('rowheader', { name: new RegExp(component) }),
      ).toBeVisible();
    }
  });
});
