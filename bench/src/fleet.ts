import path from 'node:path';
import {
  asAdmin,
  ControlPlane,
  installCrds,
  seededCrdFiles,
  mapConcurrent,
  startControlPlane,
} from '@internal/kube-testbed';
import { KubeObject } from '@gitops-promotion/backstage-plugin-common';
import {
  kindOf,
  ObjectIndex,
} from '@gitops-promotion/backstage-plugin-common/server';
import { ClusterPlan, planCluster } from './objects';
import { rssKiB } from './procStats';
import { seedCluster, SeedResult } from './seed';

/** The environments in promotion order and their share of the fleet (20 clusters: 10/2/3/5). */
const ENVIRONMENTS = [
  { name: 'sandbox', weight: 10 },
  { name: 'development', weight: 2 },
  { name: 'staging', weight: 3 },
  { name: 'production', weight: 5 },
];

export interface ClusterSpec {
  name: string;
  environment: string;
  index: number;
}

/** What the bench needs of a running control plane (also what --serve-fleet saves). */
export interface ClusterEndpoint {
  url: string;
  caData: string;
  caPem: string;
  tokens: ControlPlane['tokens'];
  /** Its folder: pki/apiserver.{crt,key} are what the proxy presents. */
  dir: string;
  pids: { etcd: number; apiServer: number };
}

/** A running, seeded cluster. */
export interface FleetCluster extends ClusterSpec {
  endpoint: ClusterEndpoint;
  plan: Pick<ClusterPlan, 'counts'> & { objects: number };
  seed: SeedResult;
  startMs: number;
}

/**
 * Names and environments of `total` clusters (at least 4), in the shares of
 * the 20-cluster fleet: sandbox-01…10, development-01…02, staging-01…03,
 * production-01…05.
 */
export function fleetLayout(total: number): ClusterSpec[] {
  if (!Number.isInteger(total) || total < ENVIRONMENTS.length) {
    throw new Error(
      `--clusters must be an integer of at least ${ENVIRONMENTS.length} (one per environment)`,
    );
  }
  const sum = ENVIRONMENTS.reduce((s, e) => s + e.weight, 0);
  const counts = ENVIRONMENTS.map(e =>
    Math.max(1, Math.round((total * e.weight) / sum)),
  );
  // Fix rounding on the largest environment (sandbox).
  counts[0] += total - counts.reduce((s, c) => s + c, 0);
  if (counts[0] < 1) {
    throw new Error(`cannot split ${total} clusters over the environments`);
  }
  const specs: ClusterSpec[] = [];
  ENVIRONMENTS.forEach((env, e) => {
    for (let i = 1; i <= counts[e]; i++) {
      specs.push({
        name: `${env.name}-${String(i).padStart(2, '0')}`,
        environment: env.name,
        index: specs.length,
      });
    }
  });
  return specs;
}

/** Environments as gitopsPromotion.environments lists them. */
/**
 * Each cluster of a fleet of `count` (fleetLayout) with its objects in the
 * backend's ObjectIndex, as its watch cache holds them once synced: the
 * in-process benchmarks' fleet, without API servers.
 */
export function indexedFleet(
  count: number,
  releases: number,
): Map<string, ObjectIndex> {
  const result = new Map<string, ObjectIndex>();
  for (const spec of fleetLayout(count)) {
    const store = new ObjectIndex();
    const plan = planCluster({
      cluster: spec.name,
      environment: spec.environment,
      clusterIndex: spec.index,
      releases,
      now: new Date(),
    });
    for (const { manifest } of plan.objects) {
      const obj = manifest as KubeObject;
      store.upsert(kindOf(obj)!, obj);
    }
    result.set(spec.name, store);
  }
  return result;
}

export function environmentsOf(specs: ClusterSpec[]) {
  return ENVIRONMENTS.map(env => ({
    name: env.name,
    clusters: specs.filter(s => s.environment === env.name).map(s => s.name),
  })).filter(env => env.clusters.length > 0);
}

/**
 * Starts a control plane per cluster, installs the CRDs and seeds it,
 * `parallel` clusters at a time (a cluster's start overlaps another's
 * seeding). If anything fails, every control plane started so far is
 * stopped before the error is thrown.
 */
export async function startFleet(options: {
  specs: ClusterSpec[];
  releases: number;
  stateDir: string;
  parallel: number;
  now: Date;
  log: (line: string) => void;
  started: ControlPlane[];
}): Promise<FleetCluster[]> {
  const { specs, log } = options;
  let failure: unknown;
  const results = await mapConcurrent(specs, options.parallel, async spec => {
    // After a failure, start nothing more; let the ones in flight finish so
    // that every started control plane is in options.started for cleanup.
    if (failure) return undefined;
    try {
      return await startCluster(spec);
    } catch (e) {
      failure ??= e;
      return undefined;
    }
  });
  if (failure) throw failure;
  return results as FleetCluster[];

  async function startCluster(spec: ClusterSpec): Promise<FleetCluster> {
    const t0 = Date.now();
    const cp = await startControlPlane({
      name: spec.name,
      stateDir: path.join(options.stateDir, spec.name),
      startTimeoutMs: 180_000,
    });
    options.started.push(cp);
    await installCrds(cp, seededCrdFiles(), 120_000);
    const startMs = Date.now() - t0;
    const plan = planCluster({
      cluster: spec.name,
      environment: spec.environment,
      clusterIndex: spec.index,
      releases: options.releases,
      now: options.now,
    });
    const seed = await seedCluster(asAdmin(cp), plan);
    log(
      `${spec.name}: started in ${(startMs / 1000).toFixed(1)} s, seeded ${
        seed.objects
      } objects (${seed.requests} requests) in ${(seed.ms / 1000).toFixed(
        1,
      )} s`,
    );
    return {
      ...spec,
      endpoint: {
        url: cp.url,
        caData: cp.caData,
        caPem: cp.caPem,
        tokens: cp.tokens,
        dir: cp.dir,
        pids: cp.pids,
      },
      plan: { counts: plan.counts, objects: plan.objects.length },
      seed,
      startMs,
    };
  }
}

/** RSS of each control plane's etcd and kube-apiserver, in KiB. */
export function controlPlaneRss(clusters: FleetCluster[]) {
  return clusters.map(c => ({
    name: c.name,
    etcd: rssKiB(c.endpoint.pids.etcd) ?? 0,
    apiServer: rssKiB(c.endpoint.pids.apiServer) ?? 0,
  }));
}

/** Stops control planes in parallel, never throwing. */
export async function stopControlPlanes(cps: ControlPlane[]): Promise<void> {
  await Promise.all(cps.map(cp => cp.stop().catch(() => {})));
}
