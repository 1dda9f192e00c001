/*
 * A namespace of 1,000 KuboCD Releases read with pageSize 100: the plugin
 * must follow the continue tokens of a real API server and show every
 * object, and the API server's audit log shows the pages it asked for.
 */
import { TestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  ControlPlane,
  createMany,
  installCrds,
  startControlPlane,
} from '@internal/kube-testbed';
import {
  auditRequest,
  component,
  getView,
  requireBinaries,
  startBackend,
  stopAll,
  TIMEOUT_MS,
  waitForView,
} from './__testUtils__/harness';

jest.setTimeout(TIMEOUT_MS);

const COUNT = 1000;
const PAGE_SIZE = 100;

describe('paginated lists against a real API server', () => {
  let cp: ControlPlane | undefined;
  let backend: TestBackend | undefined;

  beforeAll(async () => {
    requireBinaries();
    cp = await startControlPlane({ name: 'bulk', audit: true });
    await installCrds(cp);
    await createMany(cp, {
      namespace: 'bulk',
      count: COUNT,
      labels: { 'app.kubernetes.io/part-of': 'bulk' },
      status: { phase: 'READY', readyReleases: '1/1' },
    });
    backend = await startBackend({
      environments: [{ name: 'bulk', clusters: [{ cp }] }],
      entities: [
        component('bulk', {
          'gitops-promotion/label-selector': 'app.kubernetes.io/part-of=bulk',
        }),
      ],
      watch: { pageSize: PAGE_SIZE },
    });
  });

  afterAll(async () => {
    await stopAll(
      () => backend?.stop(),
      () => cp?.stop(),
    );
  });

  it(`shows all ${COUNT} Releases of one namespace, listed in pages of ${PAGE_SIZE}`, async () => {
    const { view } = await waitForView(backend!, 'bulk', v =>
      expect(v.workloads).toHaveLength(COUNT),
    );
    expect(view.clusterErrors).toEqual([]);
    expect(view.workloads[0]).toMatchObject({
      id: 'Release/bulk-00001',
      cells: [{ environment: 'bulk', state: 'Ready' }],
    });
    expect(view.workloads[COUNT - 1].id).toBe('Release/bulk-01000');

    const pages = cp!
      .auditEvents()
      .map(auditRequest)
      .filter(r => r.verb === 'list' && r.resource === 'releases');
    expect(pages.length).toBe(COUNT / PAGE_SIZE);
    expect(pages.every(p => p.query.limit === String(PAGE_SIZE))).toBe(true);
    // The first page starts the list; each next one carries a continue token.
    expect(pages.filter(p => p.query.continue).length).toBe(
      COUNT / PAGE_SIZE - 1,
    );

    // What the tab waits for: the page view; then each row's drill-down.
    const started = Date.now();
    const page = await request(backend!.server).get(
      '/api/gitops-promotion/v1/entities/default/component/bulk/promotion',
    );
    const pageMs = Date.now() - started;
    expect(page.status).toBe(200);
    await getView(backend!, 'bulk');
    // eslint-disable-next-line no-console
    console.log(
      `${COUNT} rows: ${
        pages.length
      } list pages; the page view took ${pageMs} ms (${Math.round(
        page.text.length / 1024,
      )} KiB), the page view and all ${COUNT} cells ${
        Date.now() - started - pageMs
      } ms`,
    );
  });
});
