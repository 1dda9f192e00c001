// The phases of a run against a started backend: cold sync, page views,
// status changes, and the memory baseline.
import { BackendMemory, BenchBackend, ENTITY_REFS } from './backend';
import { BackendClient } from './client';
import { ClusterSpec, FleetCluster } from './fleet';
import { KubeHttpTarget } from './kubeHttp';
import {
  measurePacedAndLoaded,
  measurePageViews,
  measureStatusChanges,
  PageViewFigures,
  waitForSync,
} from './measure';
import { cpuSeconds, cpuTicks, stealPercent } from './procStats';
import { ProxyFleet, totalCounts } from './proxy';
import { BenchResults, PluginFigures } from './report';

type Log = (line: string) => void;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** How much of the machine's CPU the hypervisor gave other guests meanwhile. */
const describeSteal = (percent: number) =>
  ` (CPU steal ${percent.toFixed(1)} %)`;

export const describeViews = (v: PageViewFigures) =>
  `p50 ${v.warm.p50.toFixed(1)} p95 ${v.warm.p95.toFixed(
    1,
  )} p99 ${v.warm.p99.toFixed(1)} ms, ${
    v.requestsPerView
  } cluster requests per view`;

/**
 * From the backend's spawn until every cluster is synced: when it became
 * ready, when its first request reached a cluster, when the sync-check view
 * showed every cluster whole, and the CPU each party spent meanwhile.
 */
export async function coldSync(options: {
  backend: BenchBackend;
  client: BackendClient;
  fleet: FleetCluster[];
  specs: ClusterSpec[];
  proxies: ProxyFleet;
  log: Log;
}): Promise<BenchResults['sync'] & { stealPercent: number }> {
  const { backend, proxies, fleet, log } = options;
  // Who spends the CPU of a cold sync: the backend, the API servers, the proxies.
  const cpu = () => ({
    backend: cpuSeconds(backend.pid),
    controlPlanes: fleet.reduce(
      (sum, c) =>
        sum +
        cpuSeconds(c.endpoint.pids.apiServer) +
        cpuSeconds(c.endpoint.pids.etcd),
      0,
    ),
    proxies: cpuSeconds(proxies.pid!),
  });
  const cpuBefore = cpu();
  const ticks = cpuTicks();
  // The backend's CPU when its first cluster request reaches a proxy: what
  // it spent starting up, before syncing.
  let cpuAtFirstRequest: ReturnType<typeof cpu> | undefined;
  const watchFirstRequest = (async () => {
    while (!cpuAtFirstRequest && backend.running) {
      if (totalCounts(await proxies.counts()).requests > 0) {
        cpuAtFirstRequest = cpu();
        await backend.cpuProfile('0-startup');
      } else {
        await sleep(10);
      }
    }
  })();
  const readyAt = await backend.waitReady();
  const sync = await waitForSync({
    client: options.client,
    entityRef: ENTITY_REFS.sync,
    specs: options.specs,
    proxies,
    spawnedAt: backend.spawnedAt,
    readyAt,
    timeoutMs: 300_000,
  });
  const cpuAfter = cpu();
  const steal = stealPercent(ticks);
  await watchFirstRequest;
  const since = cpuAtFirstRequest ?? cpuBefore;
  const cpuSpent = {
    backendStartup: since.backend - cpuBefore.backend,
    backend: cpuAfter.backend - since.backend,
    controlPlanes: cpuAfter.controlPlanes - since.controlPlanes,
    proxies: cpuAfter.proxies - since.proxies,
  };
  const fromSpawn = (t: number) => (t - sync.spawnedAt) / 1000;
  const slowest = Object.entries(sync.perCluster).sort(
    ([, a], [, b]) => b - a,
  )[0];
  const result: BenchResults['sync'] & { stealPercent: number } = {
    spawnToReadyS: fromSpawn(readyAt),
    spawnToFirstClusterRequestS:
      sync.firstClusterRequestAt === undefined
        ? undefined
        : fromSpawn(sync.firstClusterRequestAt),
    firstClusterRequestToSyncedS:
      sync.firstClusterRequestAt === undefined
        ? undefined
        : (sync.syncedAt - sync.firstClusterRequestAt) / 1000,
    spawnToSyncedS: fromSpawn(sync.syncedAt),
    catalogAfterSpawnS:
      sync.catalogAt === undefined ? undefined : fromSpawn(sync.catalogAt),
    slowestCluster: slowest
      ? `${slowest[0]} (${fromSpawn(slowest[1]).toFixed(1)} s after spawn)`
      : '—',
    requests: sync.requests,
    cpuSeconds: cpuSpent,
    stealPercent: steal,
  };
  log(
    `synced: spawn → ready ${result.spawnToReadyS.toFixed(
      1,
    )} s, → first cluster request ${result.spawnToFirstClusterRequestS?.toFixed(
      1,
    )} s, → all synced ${result.spawnToSyncedS.toFixed(1)} s${describeSteal(
      steal,
    )}`,
  );
  log(
    `CPU seconds from the first cluster request to synced: backend ${cpuSpent.backend.toFixed(
      1,
    )} (${cpuSpent.backendStartup.toFixed(
      1,
    )} before it), API servers + etcd ${cpuSpent.controlPlanes.toFixed(
      1,
    )}, proxies ${cpuSpent.proxies.toFixed(1)}`,
  );
  return result;
}

/**
 * Both plugins' page views, paced and back to back, with two references:
 * the catalog lookup both make on every view, and an empty request.
 */
export async function pageViews(options: {
  backend: BenchBackend;
  client: BackendClient;
  proxies: ProxyFleet;
  views: number;
  kubernetesViews: number;
  pauseMs: number;
  log: Log;
}) {
  const { backend, client, proxies, pauseMs, log } = options;
  const pace = `${pauseMs} ms apart`;
  log(
    `promotion view: 1 first + ${options.views} warm page views ${pace}, then ${options.views} back to back`,
  );
  let ticks = cpuTicks();
  const promotion = await measurePacedAndLoaded({
    call: () => client.promotion(ENTITY_REFS.service),
    views: options.views,
    pauseMs,
    proxies,
    what: 'promotion view',
  });
  const promotionSteal = stealPercent(ticks);
  log(
    `  first ${promotion.views.first.ms.toFixed(1)} ms; ${describeViews(
      promotion.views,
    )} (back to back: ${describeViews(promotion.loaded)})${describeSteal(
      promotionSteal,
    )}`,
  );
  log(
    `overview of the ${ENTITY_REFS.overview} group's components: 1 first + ${options.views} warm views ${pace}, then ${options.views} back to back`,
  );
  ticks = cpuTicks();
  const overview = await measurePacedAndLoaded({
    call: () => client.overview(ENTITY_REFS.overview),
    views: options.views,
    pauseMs,
    proxies,
    what: 'promotion overview',
  });
  const overviewSteal = stealPercent(ticks);
  const { counts } = (await client.overview(ENTITY_REFS.overview)).body;
  log(
    `  ${counts.entities} components; first ${overview.views.first.ms.toFixed(
      1,
    )} ms; ${describeViews(overview.views)} (back to back: ${describeViews(
      overview.loaded,
    )})${describeSteal(overviewSteal)}`,
  );
  ticks = cpuTicks();
  const catalog = await measurePacedAndLoaded({
    call: () => client.entity(ENTITY_REFS.service),
    views: options.views,
    pauseMs,
    proxies,
    what: 'catalog entity lookup',
    first: false,
  });
  log(
    `  reference, the catalog lookup alone: ${describeViews(
      catalog.views,
    )} (back to back: ${describeViews(catalog.loaded)})`,
  );
  const empty = await measurePacedAndLoaded({
    call: () => client.request('GET', '/.backstage/health/v1/liveness'),
    views: options.views,
    pauseMs,
    proxies,
    what: 'liveness',
    first: false,
  });
  log(
    `  reference, an empty request (liveness): ${describeViews(
      empty.views,
    )} (back to back: ${describeViews(empty.loaded)})`,
  );
  const referencesSteal = stealPercent(ticks);
  log(`  references${describeSteal(referencesSteal)}`);
  await backend.cpuProfile('3-promotion-views');

  log(
    `Kubernetes plugin: 1 first + ${options.kubernetesViews} warm page views ${pace}, then ${options.kubernetesViews} back to back`,
  );
  const kubernetes = await measurePacedAndLoaded({
    call: () => client.kubernetesCustomQuery(ENTITY_REFS.service),
    views: options.kubernetesViews,
    pauseMs,
    proxies,
    what: 'kubernetes custom query',
  });
  log(
    `  first ${kubernetes.views.first.ms.toFixed(0)} ms; ${describeViews(
      kubernetes.views,
    )} (back to back: ${describeViews(kubernetes.loaded)})`,
  );
  await backend.cpuProfile('4-kubernetes-views');
  return {
    promotion,
    overview: { ...overview, components: counts.entities },
    catalog,
    empty,
    kubernetes,
    steal: {
      promotionViews: promotionSteal,
      overview: overviewSteal,
      references: referencesSteal,
    },
  };
}

/** Status changes written in clusters, timed until each plugin shows them. */
export async function statusChanges(options: {
  backend: BenchBackend;
  client: BackendClient;
  clusters: Array<{ name: string; admin: KubeHttpTarget }>;
  changes: number;
  log: Log;
}) {
  const { client, log } = options;
  log(`status changes: ${options.changes} per plugin`);
  const common = {
    client,
    entityRef: ENTITY_REFS.service,
    clusters: options.clusters,
    changes: options.changes,
    timeoutMs: 30_000,
  };
  const ticks = cpuTicks();
  const promotion = await measureStatusChanges({
    ...common,
    plugin: 'gitops-promotion',
    pollIntervalMs: 10,
  });
  const kubernetes = await measureStatusChanges({
    ...common,
    plugin: 'kubernetes',
    pollIntervalMs: 0,
  });
  const steal = stealPercent(ticks);
  const ms = (samples: number[]) => samples.map(v => v.toFixed(0)).join(', ');
  log(
    `  visible after: promotion ${ms(
      promotion.samples,
    )} ms; Kubernetes plugin ${ms(kubernetes.samples)} ms${describeSteal(
      steal,
    )}`,
  );
  await options.backend.cpuProfile('5-status-changes', true);
  return { promotion, kubernetes, stealPercent: steal };
}

/**
 * The memory of a backend that ran the same way without gitops-promotion:
 * the catalog has ingested the entities and the Kubernetes plugin answered.
 */
export async function baselineMemory(options: {
  backend: BenchBackend;
  client: BackendClient;
  proxies: ProxyFleet;
  kubernetesViews: number;
}): Promise<BackendMemory> {
  const { backend, client } = options;
  await backend.waitReady();
  const deadline = Date.now() + 120_000;
  while ((await client.entity(ENTITY_REFS.service)).status !== 200) {
    if (Date.now() > deadline) {
      throw new Error('the catalog did not ingest the bench entities');
    }
    await sleep(100);
  }
  await measurePageViews({
    call: () => client.kubernetesCustomQuery(ENTITY_REFS.service),
    views: options.kubernetesViews,
    pauseMs: 0,
    proxies: options.proxies,
    what: 'kubernetes custom query (baseline)',
  });
  return backend.memory(true);
}

/** The figures of one plugin, as the report takes them. */
export function pluginFigures(
  views: { views: PageViewFigures; loaded: PageViewFigures },
  changes: PluginFigures['changes'],
): PluginFigures {
  return { ...views, changes };
}
