/*
 * yarn bench: the promotion view against a fleet of real API servers, side
 * by side with the Backstage Kubernetes plugin, in one backend. See
 * docs/benchmarks.md.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  asAdmin,
  ControlPlane,
  freePort,
  repoRoot,
} from '@internal/kube-testbed';
import { BackendMemory, BenchBackend } from './backend';
import { BackendClient } from './client';
import { journalFigures } from './journalFigures';
import {
  controlPlaneRss,
  environmentsOf,
  fleetLayout,
  FleetCluster,
  startFleet,
  stopControlPlanes,
} from './fleet';
import { parseOptions } from './options';
import {
  baselineMemory,
  coldSync,
  pageViews,
  pluginFigures,
  statusChanges,
} from './phases';
import { cpuTicks, memInfoKiB, stealPercent } from './procStats';
import { ProxyFleet } from './proxy';
import {
  BenchResults,
  machineInfo,
  renderResults,
  targets,
  writeResults,
} from './report';

const log = (line: string) =>
  process.stdout.write(
    `[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`,
  );

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** What --serve-fleet saves and --use-fleet reads. */
interface SavedFleet {
  releases: number;
  setupSeconds: number;
  availableBefore: number;
  clusters: FleetCluster[];
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const runStarted = Date.now();
  const root = repoRoot();
  const runDir = path.join(root, '.tools', 'run', 'bench');
  // A fleet kept up by --serve-fleet lives beside the run folder, which
  // every run empties.
  const fleetDir = options.serveFleet
    ? path.join(root, '.tools', 'run', 'bench-fleet')
    : path.join(runDir, 'clusters');
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  const machine = machineInfo(root);
  log(
    `${machine.cpu}, ${
      machine.cores
    } cores; one core's speed ${machine.hostSpeedMs.toFixed(
      0,
    )} ms (fixed JSON workload, lower is faster)`,
  );

  const controlPlanes: ControlPlane[] = [];
  let proxies: ProxyFleet | undefined;
  let backend: BenchBackend | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await backend?.stop().catch(() => {});
      await proxies?.stop().catch(() => {});
      await stopControlPlanes(controlPlanes);
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    if (cleaning) return;
    log(`${signal}: stopping everything`);
    cleanup().finally(() => process.exit(130));
  };
  // Stays registered (process.on): the testbed's own handler then leaves
  // the stopping to this one instead of re-raising the signal at once.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let lowestAvailable = memInfoKiB().available;
  const memoryWatch = setInterval(() => {
    lowestAvailable = Math.min(lowestAvailable, memInfoKiB().available);
  }, 1000);
  memoryWatch.unref();

  try {
    let saved: SavedFleet | undefined;
    if (options.useFleet) {
      saved = JSON.parse(fs.readFileSync(options.useFleet, 'utf8'));
      options.clusters = saved!.clusters.length;
      options.releases = saved!.releases;
    }
    const specs = fleetLayout(options.clusters);
    const environments = environmentsOf(specs);
    const availableBefore = saved?.availableBefore ?? memInfoKiB().available;
    let fleet: FleetCluster[];
    let setupSeconds: number;
    let seedSteal: number | undefined;
    if (saved) {
      fleet = saved.clusters;
      setupSeconds = saved.setupSeconds;
      log(`using the fleet of ${options.useFleet}`);
    } else {
      log(
        `starting ${specs.length} control planes (${environments
          .map(e => `${e.name} ${e.clusters.length}`)
          .join(', ')}), ${options.releases} Releases each; ${Math.round(
          availableBefore / 1024,
        )} MiB available`,
      );
      const setupStarted = Date.now();
      const ticks = cpuTicks();
      fleet = await startFleet({
        specs,
        releases: options.releases,
        stateDir: fleetDir,
        parallel: options.parallel,
        now: new Date(),
        log,
        started: controlPlanes,
      });
      setupSeconds = (Date.now() - setupStarted) / 1000;
      seedSteal = stealPercent(ticks);
      // Let the API servers settle (GC after the seeding burst) before reading RSS.
      await sleep(5000);
    }
    const rss = controlPlaneRss(fleet);
    const perPlane = rss.map(r => (r.etcd + r.apiServer) / 1024);
    const availableSeeded = memInfoKiB().available;
    const objectsPerCluster = fleet[0].plan.objects;
    const objects = fleet.reduce((s, c) => s + c.plan.objects, 0);
    const byKind: Record<string, number> = {};
    for (const c of fleet) {
      for (const [kind, n] of Object.entries(c.plan.counts)) {
        byKind[kind] = (byKind[kind] ?? 0) + n;
      }
    }
    log(
      `fleet ready in ${setupSeconds.toFixed(
        0,
      )} s: ${objects} objects; control plane RSS mean ${(
        perPlane.reduce((s, v) => s + v, 0) / perPlane.length
      ).toFixed(0)} MiB, total ${perPlane
        .reduce((s, v) => s + v, 0)
        .toFixed(0)} MiB; ${Math.round(availableSeeded / 1024)} MiB available`,
    );
    if (options.serveFleet) {
      const state: SavedFleet = {
        releases: options.releases,
        setupSeconds,
        availableBefore,
        clusters: fleet,
      };
      fs.writeFileSync(options.serveFleet, JSON.stringify(state, null, 2), {
        mode: 0o600,
      });
      log(
        `fleet saved to ${options.serveFleet}: run \`yarn bench --use-fleet ${options.serveFleet}\` from another terminal; Ctrl-C stops the fleet`,
      );
      await new Promise(() => {});
    }

    const started = await ProxyFleet.start(
      fleet.map(c => ({
        name: c.name,
        upstream: c.endpoint.url,
        certFile: path.join(c.endpoint.dir, 'pki', 'apiserver.crt'),
        keyFile: path.join(c.endpoint.dir, 'pki', 'apiserver.key'),
        caPem: c.endpoint.caPem,
      })),
      options.latencyMs,
      path.join(runDir, 'proxy.log'),
    );
    proxies = started.fleet;
    const backendClusters = fleet.map(c => ({
      name: c.name,
      url: started.urls[c.name],
      token: c.endpoint.tokens.reader,
      caData: c.endpoint.caData,
    }));
    const token = crypto.randomBytes(24).toString('hex');
    const admins = fleet.map(c => ({
      name: c.name,
      admin: asAdmin(c.endpoint),
    }));
    // Rotate status changes over the environments: production first.
    const changeClusters = [...environments]
      .reverse()
      .map(e => admins.find(a => a.name === e.clusters[0])!);

    // The backend with both plugins.
    log('starting the backend with both plugins');
    /** The same backend over the same clusters, with or without gitops-promotion. */
    const startBackend = async (
      withGitopsPromotion: boolean,
      label: string,
      cpuProfileDir?: string,
    ) =>
      BenchBackend.start({
        dir: runDir,
        port: await freePort(),
        token,
        clusters: backendClusters,
        environments,
        releases: options.releases,
        withGitopsPromotion,
        cpuProfileDir,
        label,
      });
    backend = await startBackend(
      true,
      'full',
      options.cpuProfile ? runDir : undefined,
    );
    const client = new BackendClient(backend.baseUrl, token);
    const { stealPercent: syncSteal, ...sync } = await coldSync({
      backend,
      client,
      fleet,
      specs,
      proxies,
      log,
    });
    await backend.cpuProfile('1-sync');
    // Page views come long after a cold sync: let its garbage be collected
    // (and the journal write the sync's entries, 2 s after).
    await sleep(5000);
    await backend.cpuProfile('2-idle');
    const afterSync = await backend.metrics();
    const views = await pageViews({
      backend,
      client,
      proxies,
      views: options.views,
      kubernetesViews: options.kubernetesViews,
      pauseMs: options.pauseMs,
      log,
    });
    const changes = await statusChanges({
      backend,
      client,
      clusters: changeClusters,
      changes: options.changes,
      log,
    });
    // The journal writes what the last changes left 2 s after them.
    await sleep(2500);
    const afterChanges = await backend.metrics();
    const full = await backend.memory(true);
    log(
      `backend with both plugins: RSS ${(full.rssKiB / 1024).toFixed(
        0,
      )} MiB, heap used ${(full.heapUsed / 1048576).toFixed(0)} MiB after GC`,
    );
    if (options.heapSnapshot) {
      const file = await backend.heapSnapshot(
        path.join(runDir, 'backend-full.heapsnapshot'),
      );
      log(`heap snapshot: ${file}`);
    }
    client.close();
    await backend.stop();
    backend = undefined;

    let baseline: BackendMemory | undefined;
    if (options.baseline) {
      log('starting the backend without gitops-promotion (memory baseline)');
      backend = await startBackend(false, 'baseline');
      const baseClient = new BackendClient(backend.baseUrl, token);
      baseline = await baselineMemory({
        backend,
        client: baseClient,
        proxies,
        kubernetesViews: Math.min(10, options.kubernetesViews),
      });
      log(
        `backend without gitops-promotion: RSS ${(
          baseline.rssKiB / 1024
        ).toFixed(0)} MiB, heap used ${(baseline.heapUsed / 1048576).toFixed(
          0,
        )} MiB after GC`,
      );
      baseClient.close();
      await backend.stop();
      backend = undefined;
    }

    const results: BenchResults = {
      date: new Date().toISOString().slice(0, 16).replace('T', ' '),
      machine,
      options,
      fleet: {
        environments,
        objectsPerCluster,
        objects,
        byKind,
        setupSeconds,
        seedRequests: fleet.reduce((s, c) => s + c.seed.requests, 0),
        controlPlaneRssMiB: {
          mean: perPlane.reduce((s, v) => s + v, 0) / perPlane.length,
          max: Math.max(...perPlane),
          total: perPlane.reduce((s, v) => s + v, 0),
        },
        etcdRssMiB: rss.reduce((s, r) => s + r.etcd, 0) / rss.length / 1024,
        apiServerRssMiB:
          rss.reduce((s, r) => s + r.apiServer, 0) / rss.length / 1024,
        memAvailableMiB: {
          before: availableBefore / 1024,
          seeded: availableSeeded / 1024,
          lowest: lowestAvailable / 1024,
        },
      },
      sync,
      hostStealPercent: {
        fleetSeed: seedSteal,
        coldSync: syncSteal,
        ...views.steal,
        statusChanges: changes.stealPercent,
      },
      journal: {
        coldSync: journalFigures(afterSync),
        statusChanges: journalFigures(afterChanges, afterSync),
      },
      promotion: pluginFigures(views.promotion, changes.promotion),
      overview: views.overview,
      catalog: views.catalog,
      empty: views.empty,
      kubernetes: pluginFigures(views.kubernetes, changes.kubernetes),
      memory: {
        cachedObjects: objects,
        full,
        baseline,
        perObjectHeapBytes: baseline
          ? (full.heapUsed - baseline.heapUsed) / objects
          : undefined,
        perObjectRssBytes: baseline
          ? ((full.rssKiB - baseline.rssKiB) * 1024) / objects
          : undefined,
      },
      runSeconds: (Date.now() - runStarted) / 1000,
    };
    fs.writeFileSync(
      path.join(runDir, 'results.json'),
      JSON.stringify(results, null, 2),
    );
    const section = renderResults(results);
    process.stdout.write(`\n${section}\n\n`);
    if (options.out) {
      writeResults(path.resolve(root, options.out), section);
      log(
        `results written to ${options.out} and ${path.relative(
          root,
          runDir,
        )}/results.json`,
      );
    }
    const missed = targets(results).filter(t => !t.met);
    if (missed.length) {
      log(`targets missed: ${missed.map(t => t.target).join('; ')}`);
    }
  } finally {
    clearInterval(memoryWatch);
    log('stopping the backend, the proxies and the control planes');
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`bench failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
