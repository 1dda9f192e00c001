import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { kubeBinaries } from '@internal/kube-testbed';
import { BackendMemory } from './backend';
import { JournalFigures } from './journalFigures';
import { BenchOptions } from './options';
import { PageViewFigures, StatusChangeFigures } from './measure';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  kubeApiServer: string;
  etcd: string;
  commit: string;
  /** See hostSpeedMs. */
  hostSpeedMs: number;
}

/**
 * One core's speed as a figure that compares across runs: the median of 5
 * timings of a fixed workload (10 JSON round trips of 10,000 small
 * objects, like the cache's and the answers'), taken before the fleet
 * starts. The VMs this runs on differ in CPU from run to run under the
 * same model name; a run whose figure is higher ran on a slower core.
 */
function hostSpeedMs(): number {
  const doc = Array.from({ length: 10_000 }, (_, i) => ({
    metadata: { namespace: `team-${i % 50}`, name: `release-${i}` },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded' }],
      lastAppliedRevision: `1.${i % 10}.${i % 7}`,
    },
  }));
  const samples: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    for (let i = 0; i < 10; i++) JSON.parse(JSON.stringify(doc));
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[2];
}

export function machineInfo(root: string): MachineInfo {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const meminfo = fs.readFileSync('/proc/meminfo', 'utf8');
  const binaries = kubeBinaries();
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    if (dirty) commit += ' + uncommitted changes';
  } catch {
    // not a git checkout
  }
  return {
    cpu: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model,
    cores: os.cpus().length,
    memoryGiB:
      Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1] ?? 0) / 1024 / 1024,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    kubeApiServer: binaries.kubeVersion,
    etcd: binaries.etcdVersion,
    commit,
    hostSpeedMs: hostSpeedMs(),
  };
}

export interface PluginFigures {
  /** Paced page views (the options' pause between them). */
  views: PageViewFigures;
  /** The same number back to back. */
  loaded: PageViewFigures;
  changes: StatusChangeFigures;
}

export interface BenchResults {
  date: string;
  machine: MachineInfo;
  options: BenchOptions;
  fleet: {
    environments: Array<{ name: string; clusters: string[] }>;
    objectsPerCluster: number;
    objects: number;
    byKind: Record<string, number>;
    /** Wall time to start and seed the whole fleet. */
    setupSeconds: number;
    seedRequests: number;
    controlPlaneRssMiB: { mean: number; max: number; total: number };
    etcdRssMiB: number;
    apiServerRssMiB: number;
    memAvailableMiB: { before: number; seeded: number; lowest: number };
  };
  sync: {
    spawnToReadyS: number;
    spawnToFirstClusterRequestS?: number;
    firstClusterRequestToSyncedS?: number;
    spawnToSyncedS: number;
    catalogAfterSpawnS?: number;
    slowestCluster: string;
    requests: number;
    /** CPU time used from the first cluster request to synced, per party (and the backend's before). */
    cpuSeconds: {
      backendStartup: number;
      backend: number;
      controlPlanes: number;
      proxies: number;
    };
  };
  /**
   * CPU steal per phase, in percent (undefined: the fleet was seeded by
   * an earlier run): how much the host's other guests took meanwhile.
   */
  hostStealPercent: {
    fleetSeed?: number;
    coldSync: number;
    promotionViews: number;
    overview: number;
    references: number;
    statusChanges: number;
  };
  /** The promotion journal's flushes: during the cold sync, then the page views and status changes. */
  journal: { coldSync: JournalFigures; statusChanges: JournalFigures };
  promotion: PluginFigures;
  /** The overview of the bench group's components (100 at the default --releases). */
  overview: Omit<PluginFigures, 'changes'> & { components: number };
  /** The catalog's by-name lookup alone: the floor of an entity page's request. */
  catalog: Omit<PluginFigures, 'changes'>;
  /** The liveness check: the floor of any request to this backend. */
  empty: Omit<PluginFigures, 'changes'>;
  kubernetes: PluginFigures;
  memory: {
    cachedObjects: number;
    full: BackendMemory;
    baseline?: BackendMemory;
    perObjectHeapBytes?: number;
    perObjectRssBytes?: number;
  };
  runSeconds: number;
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const s1 = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(1));
const int = (v: number) => Math.round(v).toLocaleString('en-US');
/** Requests per view: whole numbers as they are, fractions to two places. */
const perView = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

function views(v: PageViewFigures) {
  return `${ms(v.warm.p50)} / ${ms(v.warm.p95)} / ${ms(v.warm.p99)} (n=${
    v.warm.n
  })`;
}

function journal(j: JournalFigures) {
  const failed = j.failedWrites ? `, ${j.failedWrites} failed` : '';
  const flushes = `${j.flushes} flush${j.flushes === 1 ? '' : 'es'}`;
  return `${int(j.entries)} entries in ${flushes}${failed}: evaluation ${ms(
    j.evaluateMs,
  )}, inserts ${ms(j.writeMs)} (${
    j.flushes ? ms((j.evaluateMs + j.writeMs) / j.flushes) : '—'
  } per flush)`;
}

function changes(c: StatusChangeFigures) {
  return `${ms(c.summary.p50)} / ${ms(c.summary.max)} (n=${c.summary.n})`;
}

/** A view's p50 as a multiple of the sum of the references' p50s. */
function p50Ratio(view: PageViewFigures, references: PageViewFigures[]) {
  const sum = references.reduce((total, r) => total + r.warm.p50, 0);
  return {
    ratio: view.warm.p50 / sum,
    text: `${(view.warm.p50 / sum).toFixed(2)}× (${ms(view.warm.p50)} / ${ms(
      sum,
    )} ms)`,
  };
}

/** The targets of issue #6 and whether this run met them. */
export function targets(r: BenchResults) {
  const paced = p50Ratio(r.promotion.views, [r.catalog.views, r.empty.views]);
  const backToBack = p50Ratio(r.promotion.loaded, [
    r.catalog.loaded,
    r.empty.loaded,
  ]);
  const list = [
    {
      target: 'promotion view p95 ≤ 10 ms warm',
      value: `${ms(r.promotion.views.warm.p95)} ms paced (${ms(
        r.promotion.loaded.warm.p95,
      )} ms back to back)`,
      met: r.promotion.views.warm.p95 <= 10,
    },
    {
      target: `overview of ${r.overview.components} components p95 ≤ 50 ms warm`,
      value: `${ms(r.overview.views.warm.p95)} ms paced (${ms(
        r.overview.loaded.warm.p95,
      )} ms back to back), ${perView(
        r.overview.views.requestsPerView,
      )} cluster requests`,
      met:
        r.overview.views.warm.p95 <= 50 &&
        r.overview.views.requestsPerView === 0,
    },
    {
      target: '0 cluster requests per page view',
      value: perView(r.promotion.views.requestsPerView),
      met: r.promotion.views.requestsPerView === 0,
    },
    {
      target:
        'promotion view p50 ≤ 1.3 × (catalog lookup + empty request) warm',
      value: `${paced.text} paced, ${backToBack.text} back to back`,
      met: paced.ratio <= 1.3,
    },
    {
      target: 'status change visible ≤ 2 s',
      value: `max ${ms(r.promotion.changes.summary.max)} ms`,
      met: r.promotion.changes.summary.max <= 2000,
    },
    {
      target: '≤ 1.5 KB backend memory per cached object beyond the baseline',
      value:
        r.memory.perObjectHeapBytes === undefined
          ? 'not measured (--no-baseline)'
          : `${int(r.memory.perObjectHeapBytes)} B heap, ${int(
              r.memory.perObjectRssBytes!,
            )} B RSS`,
      met:
        r.memory.perObjectRssBytes !== undefined &&
        r.memory.perObjectRssBytes <= 1536,
    },
    {
      target: `cold sync of ${r.options.clusters} clusters ≤ 10 s at ${r.options.latencyMs} ms latency`,
      value: `${s1(r.sync.firstClusterRequestToSyncedS)} s (${s1(
        r.sync.spawnToSyncedS,
      )} s from process spawn)`,
      met: (r.sync.firstClusterRequestToSyncedS ?? Infinity) <= 10,
    },
  ];
  return list;
}

/** The generated section of docs/benchmarks.md: the table, the targets, the machine. */
export function renderResults(r: BenchResults): string {
  const p = r.promotion;
  const k = r.kubernetes;
  const m = r.memory;
  const lines = [
    `Run of ${r.date} (commit ${r.machine.commit}), \`yarn bench${
      process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''
    }\`: ${r.options.clusters} clusters, ${int(r.fleet.objects)} objects, ${
      r.options.latencyMs
    } ms added to every cluster request; the whole run took ${(
      r.runSeconds / 60
    ).toFixed(1)} min.`,
    '',
    '| figure | GitOps promotion | Kubernetes plugin |',
    '| --- | --- | --- |',
    `| page view, first after start (ms) | ${ms(p.views.first.ms)} | ${ms(
      k.views.first.ms,
    )} |`,
    `| page view p50 / p95 / p99, warm, ${
      r.options.pauseMs
    } ms apart (ms) | ${views(p.views)} | ${views(k.views)} |`,
    `| page view p50 / p95 / p99, warm, back to back (ms) | ${views(
      p.loaded,
    )} | ${views(k.loaded)} |`,
    `| overview of a group's ${
      r.overview.components
    } components p50 / p95 / p99, warm, ${
      r.options.pauseMs
    } ms apart / back to back (ms); answer KiB | ${views(
      r.overview.views,
    )} / ${views(r.overview.loaded)}; ${(r.overview.views.bytes / 1024).toFixed(
      1,
    )} | |`,
    `| reference: the catalog lookup alone (both plugins make it on each view), ${
      r.options.pauseMs
    } ms apart / back to back (ms) | ${views(r.catalog.views)} / ${views(
      r.catalog.loaded,
    )} | |`,
    `| reference: an empty request (liveness), ${
      r.options.pauseMs
    } ms apart / back to back (ms) | ${views(r.empty.views)} / ${views(
      r.empty.loaded,
    )} | |`,
    `| answer size (KiB) | ${(p.views.bytes / 1024).toFixed(1)} | ${(
      k.views.bytes / 1024
    ).toFixed(1)} |`,
    `| requests to clusters per page view | ${perView(
      p.views.requestsPerView,
    )} | ${perView(k.views.requestsPerView)} |`,
    `| status change visible after, median / max (ms) | ${changes(
      p.changes,
    )} | ${changes(k.changes)} |`,
    `| promotion journal during the cold sync (ms) | ${journal(
      r.journal.coldSync,
    )} | no journal |`,
    `| promotion journal during the page views and the ${
      r.options.changes * 2
    } status changes (ms) | ${journal(r.journal.statusChanges)} | |`,
    `| backend RSS after GC (MiB) | ${int(
      m.full.rssKiB / 1024,
    )} (both plugins) | ${
      m.baseline ? int(m.baseline.rssKiB / 1024) : '—'
    } (without gitops-promotion) |`,
    `| backend V8 heap used after GC (MiB) | ${mib(m.full.heapUsed)} | ${
      m.baseline ? mib(m.baseline.heapUsed) : '—'
    } |`,
    `| memory per cached object beyond the baseline (bytes, heap / RSS) | ${
      m.perObjectHeapBytes === undefined
        ? '—'
        : `${int(m.perObjectHeapBytes)} / ${int(m.perObjectRssBytes!)}`
    } | no cache |`,
    `| cold sync of the fleet (s): first cluster request → all synced | ${s1(
      r.sync.firstClusterRequestToSyncedS,
    )} | no cache |`,
    `| cold sync (s): process spawn → all synced | ${s1(
      r.sync.spawnToSyncedS,
    )} (ready ${s1(r.sync.spawnToReadyS)}, first cluster request ${s1(
      r.sync.spawnToFirstClusterRequestS,
    )}) | — |`,
    '',
    '| target | this run | |',
    '| --- | --- | --- |',
    ...targets(r).map(
      t => `| ${t.target} | ${t.value} | ${t.met ? 'met' : '**missed**'} |`,
    ),
    '',
    '| machine and fleet | |',
    '| --- | --- |',
    `| CPU | ${r.machine.cpu}, ${r.machine.cores} cores |`,
    `| one core's speed: a fixed JSON workload before the fleet starts, median of 5 (lower is faster) | ${ms(
      r.machine.hostSpeedMs,
    )} ms |`,
    `| memory | ${r.machine.memoryGiB.toFixed(1)} GiB |`,
    `| kernel | ${r.machine.kernel} |`,
    `| Node | ${r.machine.node} |`,
    `| kube-apiserver / etcd | ${r.machine.kubeApiServer} / ${r.machine.etcd} |`,
    `| latency injected per cluster request | ${r.options.latencyMs} ms |`,
    `| clusters | ${r.fleet.environments
      .map(e => `${e.name} ${e.clusters.length}`)
      .join(', ')} |`,
    `| objects per cluster | ${int(r.fleet.objectsPerCluster)} (${
      r.options.releases
    } Releases × 5 + ${int(
      r.fleet.objectsPerCluster - 5 * r.options.releases,
    )} standalone) |`,
    `| objects in all | ${int(r.fleet.objects)}: ${Object.entries(
      r.fleet.byKind,
    )
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, n]) => `${kind} ${int(n)}`)
      .join(', ')} |`,
    `| fleet start + seed | ${s1(r.fleet.setupSeconds)} s (${int(
      r.fleet.seedRequests,
    )} requests, ${r.options.parallel} clusters at a time) |`,
    `| control plane RSS after seeding (etcd + kube-apiserver) | mean ${int(
      r.fleet.controlPlaneRssMiB.mean,
    )} MiB (etcd ${int(r.fleet.etcdRssMiB)}, kube-apiserver ${int(
      r.fleet.apiServerRssMiB,
    )}), max ${int(r.fleet.controlPlaneRssMiB.max)} MiB, all ${int(
      r.fleet.controlPlaneRssMiB.total,
    )} MiB |`,
    `| memory available: before / after seeding / lowest | ${int(
      r.fleet.memAvailableMiB.before,
    )} / ${int(r.fleet.memAvailableMiB.seeded)} / ${int(
      r.fleet.memAvailableMiB.lowest,
    )} MiB |`,
    `| requests until synced (all proxies) | ${int(r.sync.requests)} |`,
    `| slowest cluster to sync | ${r.sync.slowestCluster} |`,
    `| CPU time from the first cluster request to synced | backend ${s1(
      r.sync.cpuSeconds.backend,
    )} s (and ${s1(
      r.sync.cpuSeconds.backendStartup,
    )} s starting up before it), API servers + etcd ${s1(
      r.sync.cpuSeconds.controlPlanes,
    )} s, proxies ${s1(r.sync.cpuSeconds.proxies)} s; ${
      r.machine.cores
    } cores × ${s1(r.sync.firstClusterRequestToSyncedS)} s = ${s1(
      r.machine.cores * (r.sync.firstClusterRequestToSyncedS ?? 0),
    )} s available |`,
    `| CPU steal (the hypervisor running other guests): fleet seed / cold sync / page views / overview / references / status changes | ${[
      r.hostStealPercent.fleetSeed,
      r.hostStealPercent.coldSync,
      r.hostStealPercent.promotionViews,
      r.hostStealPercent.overview,
      r.hostStealPercent.references,
      r.hostStealPercent.statusChanges,
    ]
      .map(s1)
      .join(' / ')} % |`,
  ];
  return lines.join('\n');
}

/** The repository's prettier (2.x ships no types), so the written file passes prettier:check. */
const prettier: {
  format(text: string, options: object): string;
  resolveConfig: { sync(file: string): object | null };
} = require('prettier');

function formatted(file: string, text: string): string {
  return prettier.format(text, {
    ...prettier.resolveConfig.sync(file),
    filepath: file,
  });
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/** Replaces the results section of a markdown file (between the markers), or creates the file. */
export function writeResults(file: string, section: string): void {
  const block = `${START}\n\n${section}\n\n${END}`;
  const text = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8')
    : '# Benchmarks\n';
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  const updated =
    start < 0 || end < start
      ? `${text.trimEnd()}\n\n${block}\n`
      : text.slice(0, start) + block + text.slice(end + END.length);
  fs.writeFileSync(file, formatted(file, updated));
}
