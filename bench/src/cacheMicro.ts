/*
 * yarn bench:cache: the cache and the view without clusters or a backend,
 * in one process, in seconds. The fleet's objects (objects.ts) as an API
 * server would serve them (server fields added, pages of JSON text), parsed
 * and slimmed as the watch cache does, then:
 * - bytes of V8 heap per cached object (node --expose-gc, heap used after a
 *   full GC, before and after filling the caches);
 * - time to parse and slim them;
 * - time to build and serialize the bench entity's promotion view, and to
 *   work out what it reads (noted on each page view for change signals).
 * For trying changes to slim.ts, ObjectIndex or the view quickly; yarn
 * bench measures the real thing.
 */
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ObjectKind } from '@gitops-promotion/backstage-plugin-common';
import {
  buildPromotionView,
  ClusterData,
  entitySelectors,
  KINDS,
  ObjectIndex,
  readsOfView,
} from '@gitops-promotion/backstage-plugin-common/server';
// The backend's own slimming, which is what this measures, not a public API.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { slimObject } from '../../plugins/gitops-promotion-backend/src/cache/slim';
import { environmentsOf, fleetLayout } from './fleet';
import { percentiles } from './measure';
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

function main() {
  const clusters = Number(process.argv[2] ?? 20);
  const releases = Number(process.argv[3] ?? 500);
  const specs = fleetLayout(clusters);
  const pages = specs.map(spec => listPages(spec, releases));

  const before = heapUsed();
  const caches = new Map<string, ClusterData>();
  let objects = 0;
  let parseMs = 0;
  let slimMs = 0;
  specs.forEach((spec, i) => {
    const store = new ObjectIndex();
    for (const page of pages[i]) {
      const t0 = performance.now();
      const items = JSON.parse(page.text).items;
      const t1 = performance.now();
      store.replaceKind(page.kind, [
        ...store.list(page.kind),
        ...items.map((o: any) => slimObject(page.kind, o)),
      ]);
      slimMs += performance.now() - t1;
      parseMs += t1 - t0;
      objects += items.length;
    }
    caches.set(spec.name, { store, errors: [], hasData: () => true });
  });
  const held = heapUsed() - before;

  const environments = environmentsOf(specs).map(e => ({
    name: e.name,
    clusters: e.clusters.map(cluster => ({ cluster })),
  }));
  const { selectors } = entitySelectors({
    [KUBERNETES_ID_LABEL]: BENCH_SERVICE,
  });
  const build: number[] = [];
  const serialize: number[] = [];
  const reads: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 500; i++) {
    const t0 = performance.now();
    const view = buildPromotionView({
      entityRef: `component:default/${BENCH_SERVICE}`,
      environments,
      selectors,
      clusters: caches,
      now: new Date(),
    });
    const t1 = performance.now();
    bytes = JSON.stringify(view).length;
    const t2 = performance.now();
    readsOfView(view);
    reads.push(performance.now() - t2);
    serialize.push(t2 - t1);
    build.push(t1 - t0);
  }
  const b = percentiles(build.slice(100));
  const s = percentiles(serialize.slice(100));
  const r = percentiles(reads.slice(100));
  process.stdout.write(
    [
      `${objects} objects in ${clusters} clusters`,
      `V8 heap held by the caches: ${(held / 1048576).toFixed(1)} MiB, ${(
        held / objects
      ).toFixed(0)} bytes per object`,
      `parse ${parseMs.toFixed(0)} ms, slim and index ${slimMs.toFixed(
        0,
      )} ms (${((slimMs * 1000) / objects).toFixed(1)} µs per object)`,
      `promotion view of ${BENCH_SERVICE} (${(bytes / 1024).toFixed(
        0,
      )} KiB): build p50 ${b.p50.toFixed(2)} p95 ${b.p95.toFixed(
        2,
      )} ms, JSON p50 ${s.p50.toFixed(2)} p95 ${s.p95.toFixed(
        2,
      )} ms, what it reads p50 ${r.p50.toFixed(3)} p95 ${r.p95.toFixed(3)} ms`,
      '',
    ].join('\n'),
  );
}

main();
