/*
 * How the watch cache weathers a broken path to a real API server: a load
 * balancer that resets every connection (a re-watch from where each kind
 * was, not a relist and a refresh for every viewer), and an API server
 * that hangs (SIGSTOP: TCP still accepted, nothing answered), reported
 * within a minute for the whole cluster and cleared as soon as it answers.
 * One control plane seeded with the demo's prod-eu (Flux objects without
 * status, the KuboCD Release with its phase), read through a TCP
 * proxy that stands for the load balancer. The seconds-level probe and
 * timeout keep the run short; the defaults (30 s idle, 15 s timeout) give
 * 45 s at most.
 */
import { TestBackend } from '@backstage/backend-test-utils';
import { SignalPayload } from '@backstage/plugin-signals-node';
import {
  PromotionChangesSignal,
  PromotionView,
} from '@gitops-promotion/backstage-plugin-common';
import { KINDS } from '@gitops-promotion/backstage-plugin-common/server';
import {
  ControlPlane,
  freezeApiServer,
  installCrds,
  asAdmin,
  seedFixtures,
  startControlPlane,
  withKubeClient,
} from '@internal/kube-testbed';
import {
  auditRequest,
  clusterCell,
  component,
  eventually,
  fixtures,
  getView,
  requireBinaries,
  startBackend,
  stopAll,
  TIMEOUT_MS,
  waitForView,
} from './__testUtils__/harness';
import { startTcpProxy } from './__testUtils__/tcpProxy';

jest.setTimeout(TIMEOUT_MS);

const PLURALS = Object.values(KINDS).map(k => k.plural);
const PODINFO = 'Release/podinfo';
const PAYMENTS = 'HelmRelease/payments-api';
// Short, so a frozen server is noticed in seconds; the request timeout is
// long enough that a loaded machine's pause is not taken for one.
const IDLE_PROBE_SECONDS = 1;
const REQUEST_TIMEOUT_SECONDS = 5;

/** The audit log's requests after `mark`. */
const requestsSince = (cp: ControlPlane, mark: number) =>
  cp.auditEvents().slice(mark).map(auditRequest);

/** The kinds with no watch answered since `mark`. */
function watchingEveryKind(cp: ControlPlane, mark: number): string[] {
  const requests = requestsSince(cp, mark);
  return PLURALS.filter(
    p =>
      !requests.some(
        r =>
          r.verb === 'watch' &&
          r.resource === p &&
          r.stage === 'ResponseStarted' &&
          r.code === 200,
      ),
  );
}

/** Cluster-wide changes (a relist, an error) signalled for a cluster. */
const clusterWide = (signals: SignalPayload[], cluster: string) =>
  signals.filter(s =>
    (s.message as PromotionChangesSignal).changes.some(
      c => c.cluster === cluster && !c.namespaces,
    ),
  );

/** The production cells of the view, with whether each is marked stale. */
const productionCells = (view: PromotionView, id: string) =>
  clusterCell(view, id, 'production');

describe('watch health against a real API server behind a proxy', () => {
  let production: ControlPlane | undefined;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>> | undefined;
  let backend: TestBackend | undefined;
  const signals: SignalPayload[] = [];

  beforeAll(async () => {
    requireBinaries();
    production = await startControlPlane({ name: 'production', audit: true });
    await installCrds(production);
    await seedFixtures(production, fixtures('prod-eu'));
    proxy = await startTcpProxy(production.url);
    backend = await startBackend({
      environments: [
        { name: 'production', clusters: [{ cp: production, url: proxy.url }] },
      ],
      entities: [
        component('podinfo', {
          'gitops-promotion/kubocd-releases': 'apps/podinfo',
        }),
        component('payments-api', {
          'gitops-promotion/helm-releases': 'payments/payments-api',
        }),
      ],
      watch: {
        idleProbe: { seconds: IDLE_PROBE_SECONDS },
        requestTimeout: { seconds: REQUEST_TIMEOUT_SECONDS },
      },
      signals,
    });
    await eventually(() => {
      const missing = watchingEveryKind(production!, 0);
      if (missing.length > 0) {
        throw new Error(`no watch yet on ${missing.join(', ')}`);
      }
    });
    // The test backend's user views both entities: signals go to it.
    await getView(backend, 'podinfo');
    await getView(backend, 'payments-api');
  });

  afterAll(async () => {
    await stopAll(
      () => backend?.stop(),
      () => proxy?.close(),
      () => production?.stop(),
    );
  });

  /**
   * Suspends or resumes production's payments-api (`spec.suspend`, as
   * `flux suspend` does: no test writes a Flux object's status) and waits
   * for the view to show it: the watches carry changes.
   */
  const changeShows = async (suspend: boolean) => {
    await withKubeClient(asAdmin(production!), client =>
      client.mergePatch(
        {
          apiVersion: 'helm.toolkit.fluxcd.io/v2',
          kind: 'HelmRelease',
          namespace: 'payments',
          name: 'payments-api',
        },
        { spec: { suspend } },
      ),
    );
    // Resumed, it waits for helm-controller again: none runs here, and the
    // HelmRelease is as created (observedGeneration -1).
    await waitForView(backend!, 'payments-api', v =>
      expect(productionCells(v, PAYMENTS)).toMatchObject(
        suspend
          ? { state: 'Suspended' }
          : { state: 'Progressing', reason: 'NewGeneration' },
      ),
    );
  };

  it("re-watches every kind from where it was after a load balancer's reset: no relist, no error, no cluster-wide signal", async () => {
    // Let the initial sync's signals go out, and the watches see bookmarks or not.
    await new Promise(resolve => setTimeout(resolve, 1500));
    const mark = production!.auditEvents().length;
    const signalsBefore = signals.length;

    expect(proxy!.resetAll()).toBeGreaterThanOrEqual(PLURALS.length);
    await eventually(() =>
      expect(watchingEveryKind(production!, mark)).toEqual([]),
    );
    const after = requestsSince(production!, mark);
    expect(after.filter(r => r.verb === 'list')).toEqual([]);
    // Each kind resumed from a version it had, not from scratch.
    for (const r of after.filter(w => w.verb === 'watch')) {
      expect(Number(r.query.resourceVersion)).toBeGreaterThan(0);
    }

    // A change made after the reset comes through the new watches.
    await changeShows(true);
    // Signals coalesce a second: let the change's go out.
    await new Promise(resolve => setTimeout(resolve, 1500));
    expect(clusterWide(signals.slice(signalsBefore), 'production')).toEqual([]);
    expect((await getView(backend!, 'payments-api')).clusterErrors).toEqual([]);
  });

  it('reports a frozen API server within its idle probe and request timeout for every kind, marks every cell it feeds stale, and clears it within seconds of its resume', async () => {
    const before = await getView(backend!, 'podinfo');
    expect(before.clusterErrors).toEqual([]);
    expect(productionCells(before, PODINFO).staleSince).toBeUndefined();

    const frozen = await freezeApiServer(production!);
    const frozenAt = Date.now();
    let resumed = false;
    try {
      const { view: podinfo, elapsedMs } = await waitForView(
        backend!,
        'podinfo',
        v => {
          expect(v.clusterErrors).toEqual([
            expect.objectContaining({ cluster: 'production', type: 'TIMEOUT' }),
          ]);
          expect(v.clusterErrors[0].kind).toBeUndefined();
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      // eslint-disable-next-line no-console
      console.log(
        `frozen API server reported after ${elapsedMs} ms (idle probe ${IDLE_PROBE_SECONDS} s, request timeout ${REQUEST_TIMEOUT_SECONDS} s)`,
      );
      // idleProbe + requestTimeout, and slack for a loaded machine: the
      // defaults (30 s + 15 s) would miss it.
      expect(elapsedMs).toBeLessThan(
        (IDLE_PROBE_SECONDS + REQUEST_TIMEOUT_SECONDS) * 1000 + 10_000,
      );
      expect(podinfo.clusterErrors[0].message).toMatch(
        /^Cluster production does not answer/,
      );
      // Every cell it feeds, whatever its kind, shows its data as stale.
      expect(productionCells(podinfo, PODINFO)).toMatchObject({
        state: 'Ready',
        staleSince: podinfo.clusterErrors[0].since,
      });
      const payments = await getView(backend!, 'payments-api');
      expect(payments.clusterErrors).toEqual(podinfo.clusterErrors);
      expect(productionCells(payments, PAYMENTS).staleSince).toBe(
        podinfo.clusterErrors[0].since,
      );

      await frozen.resume();
      resumed = true;
      // Cleared within the wait: retries back off 2 s at most here, so a
      // tighter bound would time the machine's load, not the plugin.
      const resumedAt = Date.now();
      const { elapsedMs: recoveredMs } = await waitForView(
        backend!,
        'podinfo',
        v => {
          expect(v.clusterErrors).toEqual([]);
          expect(productionCells(v, PODINFO).staleSince).toBeUndefined();
        },
        { timeoutMs: 20_000, intervalMs: 100 },
      );
      // eslint-disable-next-line no-console
      console.log(
        `cleared ${recoveredMs} ms after the resume (frozen for ${
          resumedAt - frozenAt
        } ms)`,
      );
    } finally {
      if (!resumed) await frozen.resume();
    }

    // The resumed watches carry changes again.
    await changeShows(false);
  });
});
