import { performance } from 'node:perf_hooks';
import { PromotionViewSummary } from '@gitops-promotion/backstage-plugin-common';
import { KINDS } from '@gitops-promotion/backstage-plugin-common/server';
import { BackendClient, KubernetesResponse, Timed } from './client';
import { ClusterSpec } from './fleet';
import { collectionPath, KubeHttp, KubeHttpTarget } from './kubeHttp';
import { BENCH_NAMESPACE, BENCH_SERVICE } from './objects';
import { ProxyFleet, totalCounts } from './proxy';

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles. */
export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[
      Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
    ];
  return {
    n: sorted.length,
    p50: rank(50),
    p95: rank(95),
    p99: rank(99),
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((s, v) => s + v, 0) / sorted.length,
  };
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function expectOk(result: Timed, what: string) {
  if (result.status !== 200) {
    throw new Error(
      `${what}: HTTP ${result.status} ${JSON.stringify(result.body).slice(
        0,
        500,
      )}`,
    );
  }
}

/**
 * The clusters of `pending` that show both sync-check workloads with their
 * whole chain: the page view carries no chains, so each cluster's cell is
 * asked for with that cluster in full (the drill-down's request).
 */
async function syncedClusters(
  client: BackendClient,
  entityRef: string,
  view: PromotionViewSummary,
  pending: ClusterSpec[],
): Promise<string[]> {
  const rowsWanted = 2; // the Release and the Kustomization
  if (view.workloads.length < rowsWanted) return [];
  const errors = new Set(view.clusterErrors.map(e => e.cluster));
  const complete = await Promise.all(
    pending.map(async spec => {
      if (errors.has(spec.name)) return false;
      const cells = await Promise.all(
        view.workloads.map(w =>
          client.cell(entityRef, spec.environment, w.id, spec.name),
        ),
      );
      return cells.every(
        c =>
          c.status === 200 &&
          c.body.cell.clusters
            .find(cc => cc.cluster === spec.name)
            ?.chain.every(l => l.found),
      );
    }),
  );
  return pending.filter((_, i) => complete[i]).map(s => s.name);
}

export interface SyncTimeline {
  /** Backend process spawned (Date.now()). */
  spawnedAt: number;
  /** Readiness endpoint answered 200. */
  readyAt: number;
  /** First request any cluster's proxy saw (the plugin's first discovery). */
  firstClusterRequestAt?: number;
  /** The sync-check entity's view first answered 200 (the catalog had ingested it). */
  catalogAt?: number;
  /** Every cluster shown with whole chains for both workloads. */
  syncedAt: number;
  /** When each cluster first appeared complete. */
  perCluster: Record<string, number>;
  /** Requests the proxies saw until then. */
  requests: number;
}

/**
 * Polls the sync-check entity's promotion view every `intervalMs` until all
 * clusters appear with both workloads and their whole chains (which needs
 * all seven kinds listed in every cluster).
 */
export async function waitForSync(options: {
  client: BackendClient;
  entityRef: string;
  specs: ClusterSpec[];
  proxies: ProxyFleet;
  spawnedAt: number;
  readyAt: number;
  timeoutMs: number;
  intervalMs?: number;
}): Promise<SyncTimeline> {
  const { client, specs } = options;
  const deadline = Date.now() + options.timeoutMs;
  const perCluster: Record<string, number> = {};
  let catalogAt: number | undefined;
  let last = '';
  while (Date.now() < deadline) {
    const result = await client.promotion(options.entityRef);
    const now = Date.now();
    if (result.status === 200) {
      catalogAt ??= now;
      const pending = specs.filter(s => perCluster[s.name] === undefined);
      const synced = await syncedClusters(
        client,
        options.entityRef,
        result.body,
        pending,
      );
      const checkedAt = Date.now();
      for (const name of synced) perCluster[name] ??= checkedAt;
      if (Object.keys(perCluster).length === specs.length) {
        const counts = await options.proxies.counts();
        const firsts = Object.values(counts)
          .map(c => c.firstRequestAt)
          .filter((t): t is number => t !== undefined);
        return {
          spawnedAt: options.spawnedAt,
          readyAt: options.readyAt,
          firstClusterRequestAt: firsts.length
            ? Math.min(...firsts)
            : undefined,
          catalogAt,
          syncedAt: checkedAt,
          perCluster,
          requests: totalCounts(counts).requests,
        };
      }
      last = `${Object.keys(perCluster).length}/${
        specs.length
      } clusters complete; errors: ${JSON.stringify(
        result.body.clusterErrors,
      ).slice(0, 300)}`;
    } else {
      last = `HTTP ${result.status}`;
    }
    await sleep(options.intervalMs ?? 25);
  }
  throw new Error(`the fleet did not sync in ${options.timeoutMs} ms: ${last}`);
}

export interface PageViewFigures {
  first: { ms: number; bytes: number };
  warm: Percentiles;
  bytes: number;
  /** Requests the proxies forwarded during the warm views, per view (watches and liveness probes excluded). */
  requestsPerView: number;
  /** Watch requests (stream renewals) seen during the warm views, not caused by them. */
  watchRequests: number;
  /** Liveness probes (`GET /version` of a quiet cluster) seen during the warm views, not caused by them. */
  probeRequests: number;
  views: number;
  /** Every warm view's time, in order (ms). */
  samples: number[];
}

/** How to measure page views: a call is one view. */
type PageViewOptions = {
  call: () => Promise<Timed>;
  views: number;
  pauseMs: number;
  proxies: ProxyFleet;
  what: string;
  first?: boolean;
};

/**
 * `views` warm page views, one at a time with `pauseMs` between the end of
 * one and the start of the next (0: back to back), counting the requests
 * the clusters' proxies forwarded meanwhile; first, unless `first` is
 * false, the first view after start.
 */
export async function measurePageViews(
  options: PageViewOptions,
): Promise<PageViewFigures> {
  const first: Timed =
    options.first === false
      ? { ms: NaN, bytes: 0, status: 200, body: undefined }
      : await options.call();
  expectOk(first, `${options.what} (first view)`);
  const before = totalCounts(await options.proxies.counts());
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < options.views; i++) {
    if (options.pauseMs > 0) await sleep(options.pauseMs);
    const result = await options.call();
    expectOk(result, options.what);
    samples.push(result.ms);
    bytes = result.bytes;
  }
  const after = totalCounts(await options.proxies.counts());
  const watchRequests = after.watches - before.watches;
  const probeRequests = after.probes - before.probes;
  return {
    first: { ms: first.ms, bytes: first.bytes },
    warm: percentiles(samples),
    bytes,
    requestsPerView:
      (after.requests - before.requests - watchRequests - probeRequests) /
      options.views,
    watchRequests,
    probeRequests,
    views: options.views,
    samples,
  };
}

/** The same views paced (`pauseMs` apart, after a first view) and back to back. */
export async function measurePacedAndLoaded(
  options: PageViewOptions,
): Promise<{ views: PageViewFigures; loaded: PageViewFigures }> {
  const views = await measurePageViews(options);
  const loaded = await measurePageViews({
    ...options,
    pauseMs: 0,
    first: false,
  });
  return { views, loaded };
}

/** Breaks or fixes the bench Release's OCIRepository in one cluster: one write to /status. */
async function writeSourceStatus(target: KubeHttpTarget, broken: boolean) {
  const client = new KubeHttp(target, 1);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const message = broken
    ? `failed to determine artifact digest: GET https://quay.io/v2/kubodoc/packages/${BENCH_SERVICE}/manifests/1.0.0-p01: UNAUTHORIZED: authentication required`
    : `stored artifact for digest 'bench'`;
  const reason = broken ? 'OCIArtifactPullFailed' : 'Succeeded';
  try {
    await client.request(
      'PATCH',
      `${collectionPath(
        `${KINDS.OCIRepository.group}/${KINDS.OCIRepository.versions[0]}`,
        KINDS.OCIRepository.plural,
        BENCH_NAMESPACE,
      )}/kcd-${BENCH_SERVICE}/status`,
      {
        status: {
          conditions: [
            {
              type: 'Ready',
              status: broken ? 'False' : 'True',
              reason,
              message,
              lastTransitionTime: now,
              observedGeneration: 1,
            },
            ...(broken
              ? [
                  {
                    type: 'FetchFailed',
                    status: 'True',
                    reason,
                    message,
                    lastTransitionTime: now,
                    observedGeneration: 1,
                  },
                ]
              : []),
          ],
        },
      },
      'application/merge-patch+json',
    );
  } finally {
    client.close();
  }
}

/**
 * Whether our page view shows the bench workload in a cluster as broken
 * (Failed, among the clusters that need a look) or fixed (no longer among
 * them: every other cluster of the bench workload is Ready).
 */
function promotionShows(
  view: PromotionViewSummary,
  cluster: string,
  broken: boolean,
) {
  const row = view.workloads.find(w => w.name === BENCH_SERVICE);
  if (!row) return false;
  const attention = row.cells
    .flatMap(c => c.attention)
    .find(c => c.cluster === cluster);
  return broken ? attention?.state === 'Failed' : attention === undefined;
}

/** Whether the Kubernetes plugin's answer holds the OCIRepository with that Ready status. */
function kubernetesShows(
  response: KubernetesResponse,
  cluster: string,
  broken: boolean,
) {
  const item = response.items.find(i => i.cluster.name === cluster);
  const oci = item?.resources
    .flatMap(r => r.resources ?? [])
    .find(
      o =>
        o.kind === 'OCIRepository' &&
        o.metadata?.name === `kcd-${BENCH_SERVICE}`,
    );
  const ready = oci?.status?.conditions?.find(c => c.type === 'Ready');
  return ready?.status === (broken ? 'False' : 'True');
}

export interface StatusChangeFigures {
  /** ms from the start of the status write to the first answer showing it. */
  samples: number[];
  summary: Percentiles;
  /** Requests it took to see each change. */
  polls: number[];
}

/**
 * For each change, writes a status (break, then fix, alternately) in one
 * cluster straight to its API server (as a controller would) and polls the
 * plugin's endpoint until it shows the change; the clusters rotate over the
 * environments.
 */
export async function measureStatusChanges(options: {
  plugin: 'gitops-promotion' | 'kubernetes';
  client: BackendClient;
  entityRef: string;
  clusters: Array<{ name: string; admin: KubeHttpTarget }>;
  changes: number;
  pollIntervalMs: number;
  timeoutMs: number;
}): Promise<StatusChangeFigures> {
  const samples: number[] = [];
  const polls: number[] = [];
  for (let i = 0; i < options.changes; i++) {
    const cluster =
      options.clusters[Math.floor(i / 2) % options.clusters.length];
    const broken = i % 2 === 0;
    const started = performance.now();
    await writeSourceStatus(cluster.admin, broken);
    let n = 0;
    for (;;) {
      n++;
      const shown =
        options.plugin === 'gitops-promotion'
          ? await options.client.promotion(options.entityRef).then(r => {
              expectOk(r, 'promotion view');
              return promotionShows(r.body, cluster.name, broken);
            })
          : await options.client
              .kubernetesCustomQuery(options.entityRef)
              .then(r => {
                expectOk(r, 'kubernetes custom query');
                return kubernetesShows(r.body, cluster.name, broken);
              });
      const elapsed = performance.now() - started;
      if (shown) {
        samples.push(elapsed);
        polls.push(n);
        break;
      }
      if (elapsed > options.timeoutMs) {
        throw new Error(
          `${options.plugin}: a status change in ${cluster.name} was not visible after ${options.timeoutMs} ms`,
        );
      }
      if (options.pollIntervalMs > 0) await sleep(options.pollIntervalMs);
    }
    // Let the next change start from a quiet system.
    await sleep(200);
  }
  return { samples, summary: percentiles(samples), polls };
}
