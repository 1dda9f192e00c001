/*
 * yarn bench:cache: the cache and the view without clusters or a backend,
 * in seconds, for fleets of 20, 100 and 200 clusters (or the counts given:
 * `yarn bench:cache 20 50`), each in a process of its own so that one
 * fleet's heap does not weigh on the next. The fleet's objects (objects.ts)
 * as an API server would serve them (server fields added, pages of JSON
 * text), parsed and slimmed as the watch cache does, then:
 * - bytes of V8 heap per cached object (node --expose-gc, heap used after a
 *   full GC, before and after filling the caches);
 * - time to parse and slim them;
 * - size and time to build and serialize the bench entity's answers side by
 *   side: the full view (every cluster's chain, the page answer before
 *   issue 18), the page view (summarizeView) and the drill-down's cell of
 *   the widest environment (buildCellDetail); and to work out what the
 *   view reads (noted on each page view for change signals).
 * For trying changes to slim.ts, ObjectIndex or the view quickly; yarn
 * bench measures the real thing.
 */
import { fork } from 'node:child_process';
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  KubeObject,
  ObjectKind,
  PromotionView,
} from '@gitops-promotion/backstage-plugin-common';
import {
  buildCellDetail,
  buildPromotionView,
  ClusterData,
  entitySelectors,
  KINDS,
  ObjectIndex,
  readsOfView,
  summarizeView,
} from '@gitops-promotion/backstage-plugin-common/server';
// The backend's own slimming, which is what this measures, not a public API.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { slimObject } from '../../plugins/gitops-promotion-backend/src/cache/slim';
import { environmentsOf, fleetLayout } from './fleet';
import { Percentiles, percentiles } from './measure';
import { BENCH_SERVICE, KUBERNETES_ID_LABEL, planCluster } from './objects';

const PAGE_SIZE = 1000;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  throw new Error('run with node --expose-gc (yarn bench:cache does)');
}
const heapUsed = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

/** A cluster's objects as list pages of JSON text, with the fields an API server adds. */
function listPages(
  spec: ReturnType<typeof fleetLayout>[number],
  releases: number,
) {
  const plan = planCluster({
    cluster: spec.name,
    environment: spec.environment,
    clusterIndex: spec.index,
    releases,
    now: new Date(),
  });
  const uids = new Map<string, string>();
  let resourceVersion = 1000;
  const live = plan.objects.map(({ manifest }) => {
    const uid = crypto.randomUUID();
    if (manifest.kind === 'Release') {
      uids.set(`${manifest.metadata.namespace}/${manifest.metadata.name}`, uid);
    }
    return {
      ...manifest,
      metadata: {
        ...manifest.metadata,
        uid,
        resourceVersion: String(resourceVersion++),
        generation: 1,
        creationTimestamp: '2026-11-21T12:00:00Z',
        managedFields: [
          {
            manager: 'kubocd',
            operation: 'Update',
            apiVersion: manifest.apiVersion,
            time: '2026-11-21T12:00:00Z',
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:status': { 'f:conditions': {} } },
          },
        ],
      },
    };
  });
  for (const obj of live) {
    obj.metadata.ownerReferences = obj.metadata.ownerReferences?.map(o => ({
      ...o,
      uid: uids.get(`${obj.metadata.namespace}/${o.name}`)!,
    }));
  }
  const pages: Array<{ kind: ObjectKind; text: string }> = [];
  for (const kind of Object.keys(KINDS) as ObjectKind[]) {
    const ofKind = live.filter(o => o.kind === kind);
    for (let i = 0; i < ofKind.length; i += PAGE_SIZE) {
      pages.push({
        kind,
        text: JSON.stringify({ items: ofKind.slice(i, i + PAGE_SIZE) }),
      });
    }
  }
  return pages;
}

/** What one fleet size gives. */
interface FleetFigures {
  clusters: number;
  objects: number;
  heapPerObject: number;
  heapMiB: number;
  parseMs: number;
  slimUsPerObject: number;
  shapes: Array<{
    name: string;
    kib: number;
    build: Percentiles;
    json: Percentiles;
    /** Both, view by view: what a request spends on its answer. */
    total: Percentiles;
  }>;
  readsP50: number;
  readsP95: number;
}

const VIEWS = 500;
const WARM_UP = 100;

function measureFleet(clusters: number, releases: number): FleetFigures {
  const specs = fleetLayout(clusters);

  // Generating pages compiles the fleet's builders: not the cache's memory.
  listPages(specs[0], releases);
  const before = heapUsed();
  const caches = new Map<string, ClusterData>();
  let objects = 0;
  let parseMs = 0;
  let slimMs = 0;
  // One cluster's pages at a time: 200 clusters' JSON would take 600 MB.
  for (const spec of specs) {
    const store = new ObjectIndex();
    for (const page of listPages(spec, releases)) {
      const t0 = performance.now();
      const { items }: { items: KubeObject[] } = JSON.parse(page.text);
      const t1 = performance.now();
      store.replaceKind(page.kind, [
        ...store.list(page.kind),
        ...items.map(o => slimObject(page.kind, o)),
      ]);
      slimMs += performance.now() - t1;
      parseMs += t1 - t0;
      objects += items.length;
    }
    caches.set(spec.name, { store, errors: [], hasData: () => true });
  }
  const held = heapUsed() - before;

  const environments = environmentsOf(specs).map(e => ({
    name: e.name,
    clusters: e.clusters.map(cluster => ({ cluster })),
  }));
  const { selectors } = entitySelectors({
    [KUBERNETES_ID_LABEL]: BENCH_SERVICE,
  });
  const options = () => ({
    entityRef: `component:default/${BENCH_SERVICE}`,
    environments,
    selectors,
    clusters: caches,
    now: new Date(),
  });
  // The drill-down's cell: the bench service in the environment with the most clusters.
  const workload = buildPromotionView(options()).workloads[0].id;
  const widest = [...environments].sort(
    (a, b) => b.clusters.length - a.clusters.length,
  )[0];
  const shapes: Array<{ name: string; build: () => unknown }> = [
    {
      name: 'full view (the answer before)',
      build: () => buildPromotionView(options()),
    },
    {
      name: 'page view',
      build: () => summarizeView(buildPromotionView(options())),
    },
    {
      name: `drawer: ${widest.name} (${widest.clusters.length} clusters)`,
      build: () => buildCellDetail(options(), widest.name, workload),
    },
  ];
  const reads: number[] = [];
  const figures = shapes.map(shape => {
    const build: number[] = [];
    const json: number[] = [];
    const total: number[] = [];
    let bytes = 0;
    for (let i = 0; i < VIEWS; i++) {
      const t0 = performance.now();
      const view = shape.build();
      const t1 = performance.now();
      bytes = JSON.stringify(view).length;
      const t2 = performance.now();
      json.push(t2 - t1);
      build.push(t1 - t0);
      total.push(t2 - t0);
      if (shape === shapes[0]) {
        const t3 = performance.now();
        readsOfView(view as PromotionView);
        reads.push(performance.now() - t3);
      }
    }
    return {
      name: shape.name,
      kib: bytes / 1024,
      build: percentiles(build.slice(WARM_UP)),
      json: percentiles(json.slice(WARM_UP)),
      total: percentiles(total.slice(WARM_UP)),
    };
  });
  const r = percentiles(reads.slice(WARM_UP));
  return {
    clusters,
    objects,
    heapPerObject: held / objects,
    heapMiB: held / 1048576,
    parseMs,
    slimUsPerObject: (slimMs * 1000) / objects,
    shapes: figures,
    readsP50: r.p50,
    readsP95: r.p95,
  };
}

const ms = (p: Percentiles) => `${p.p50.toFixed(2)} / ${p.p95.toFixed(2)}`;

function table(results: FleetFigures[]): string {
  const rows = results.flatMap(f =>
    f.shapes.map(s => [
      `${f.clusters} (${f.objects.toLocaleString('en-US')})`,
      s.name,
      `${s.kib.toFixed(1)} KiB`,
      ms(s.build),
      ms(s.json),
      ms(s.total),
      `${f.heapPerObject.toFixed(0)} B`,
    ]),
  );
  const header = [
    'clusters (objects)',
    'answer',
    'size',
    'build p50 / p95 (ms)',
    'JSON p50 / p95 (ms)',
    'build + JSON p50 / p95 (ms)',
    'heap per object',
  ];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join(
    '\n',
  );
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--fleet') {
    const figures = measureFleet(Number(args[1]), Number(args[2]));
    process.send!(figures);
    return;
  }
  const releases = Number(process.env.BENCH_RELEASES ?? 500);
  const counts = args.length > 0 ? args.map(Number) : [20, 100, 200];
  const results: FleetFigures[] = [];
  for (const clusters of counts) {
    results.push(
      await new Promise<FleetFigures>((resolve, reject) => {
        const child = fork(
          __filename,
          ['--fleet', String(clusters), String(releases)],
          { execArgv: process.execArgv },
        );
        let figures: FleetFigures | undefined;
        child.on('message', m => {
          figures = m as FleetFigures;
        });
        child.on('error', reject);
        child.on('exit', code =>
          figures
            ? resolve(figures)
            : reject(
                new Error(`the ${clusters}-cluster run exited with ${code}`),
              ),
        );
      }),
    );
    const f = results[results.length - 1];
    process.stdout.write(
      `${f.objects} objects in ${
        f.clusters
      } clusters: V8 heap held by the caches ${f.heapMiB.toFixed(
        1,
      )} MiB, ${f.heapPerObject.toFixed(
        0,
      )} B per object; parse ${f.parseMs.toFixed(
        0,
      )} ms, slim and index ${f.slimUsPerObject.toFixed(
        1,
      )} µs per object; what a view reads p50 ${f.readsP50.toFixed(
        3,
      )} p95 ${f.readsP95.toFixed(3)} ms\n`,
    );
  }
  process.stdout.write(`\n${table(results)}\n`);
}

main().catch(e => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
