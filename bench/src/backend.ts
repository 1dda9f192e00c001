import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import {
  BENCH_SERVICE,
  OVERVIEW_COMPONENTS,
  OVERVIEW_GROUP,
  serviceRelease,
  KUBERNETES_ID_LABEL,
  SYNC_LABEL,
  SYNC_WORKLOAD,
} from './objects';
import { rssKiB, smapsRollupKiB } from './procStats';
import type { MetricTotals } from './journalFigures';

/** A cluster as both plugins are configured with it: the proxy's URL, the reader's token. */
export interface BackendCluster {
  name: string;
  url: string;
  token: string;
  caData: string;
}

export interface BackendOptions {
  /** Folder for the generated config, catalog file and log. */
  dir: string;
  port: number;
  /** Static external-access token the bench calls with. */
  token: string;
  clusters: BackendCluster[];
  environments: Array<{ name: string; clusters: string[] }>;
  /** Service Releases per cluster: the overview's components are picked among them. */
  releases: number;
  /** Whether the gitops-promotion plugin is added (off: the memory baseline). */
  withGitopsPromotion: boolean;
  /** Profiles the backend phase by phase (see cpuProfile) into this folder. */
  cpuProfileDir?: string;
  /** A name for the log file and the config. */
  label: string;
}

/** process.memoryUsage() of the backend, and its VmRSS. */
export interface BackendMemory {
  rssKiB: number;
  /** Anonymous memory (smaps_rollup): RSS without the mapped files (binary, libraries). */
  anonymousKiB: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Whether a full GC ran before the reading. */
  gc: boolean;
}

export const ENTITY_REFS = {
  service: `component:default/${BENCH_SERVICE}`,
  overview: `group:default/${OVERVIEW_GROUP}`,
  sync: `component:default/${SYNC_WORKLOAD}`,
};

/**
 * The catalog: the page-view entity (Kubernetes plugin annotation only),
 * the sync-check entity, and the overview's group with a component per
 * service Release (in every cluster) beyond those two, up to 100.
 */
function entitiesYaml(releases: number): string {
  const overview = Array.from(
    { length: Math.min(OVERVIEW_COMPONENTS, releases - 2) },
    (_, i) => {
      const { name, namespace } = serviceRelease(i + 2);
      return {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name,
          annotations: {
            'gitops-promotion/kubocd-releases': `${namespace}/${name}`,
          },
        },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: OVERVIEW_GROUP,
        },
      };
    },
  );
  const docs = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: OVERVIEW_GROUP },
      spec: { type: 'team', children: [] },
    },
    ...overview,
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-bench' },
      spec: { type: 'team', children: [] },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: BENCH_SERVICE,
        description:
          'The page-view entity: one KuboCD Release per cluster, selected by both plugins through backstage.io/kubernetes-id',
        annotations: { [KUBERNETES_ID_LABEL]: BENCH_SERVICE },
      },
      spec: { type: 'service', lifecycle: 'production', owner: 'team-bench' },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: SYNC_WORKLOAD,
        description:
          'The sync-check entity: a Release and a Kustomization per cluster, whose chains cover all seven kinds',
        annotations: {
          'gitops-promotion/label-selector': `${SYNC_LABEL}=true`,
        },
      },
      spec: { type: 'service', lifecycle: 'production', owner: 'team-bench' },
    },
  ];
  return docs.map(d => YAML.stringify(d)).join('---\n');
}

function appConfig(options: BackendOptions, entitiesFile: string) {
  return {
    app: { baseUrl: 'http://127.0.0.1:3000' },
    backend: {
      baseUrl: `http://127.0.0.1:${options.port}`,
      listen: { host: '127.0.0.1', port: options.port },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: options.token, subject: 'bench-client' },
          },
        ],
      },
    },
    catalog: {
      rules: [{ allow: ['Component', 'Group', 'Location'] }],
      locations: [{ type: 'file', target: entitiesFile }],
    },
    permission: { enabled: true },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: options.clusters.map(c => ({
            name: c.name,
            url: c.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: c.token,
            caData: c.caData,
            skipMetricsLookup: true,
          })),
        },
      ],
    },
    gitopsPromotion: { environments: options.environments },
  };
}

/** What backendMain.ts answers to each request over IPC. */
interface Replies {
  memory: { gc: boolean; usage: NodeJS.MemoryUsage };
  cpuProfile: { file?: string };
  metrics: { metrics: MetricTotals; error?: undefined } | { error: string };
  heapSnapshot: { file: string };
}

/** The benchmark's backend process (backendMain.ts), started with a generated config. */
export class BenchBackend {
  readonly baseUrl: string;
  readonly spawnedAt: number;
  private nextId = 1;
  private readonly pending = new Map<number, (message: unknown) => void>();
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly options: BackendOptions,
    readonly logFile: string,
  ) {
    this.baseUrl = `http://127.0.0.1:${options.port}`;
    this.spawnedAt = Date.now();
    child.on('message', message => {
      const { id } = message as { id: number };
      const resolve = this.pending.get(id);
      this.pending.delete(id);
      resolve?.(message);
    });
    this.exited = new Promise(resolve => child.once('exit', () => resolve()));
  }

  static start(options: BackendOptions): BenchBackend {
    fs.mkdirSync(options.dir, { recursive: true });
    const entitiesFile = path.join(options.dir, 'catalog-entities.yaml');
    fs.writeFileSync(entitiesFile, entitiesYaml(options.releases));
    const configFile = path.join(
      options.dir,
      `app-config.${options.label}.yaml`,
    );
    fs.writeFileSync(
      configFile,
      YAML.stringify(appConfig(options, entitiesFile)),
      { mode: 0o600 },
    );
    const logFile = path.join(options.dir, `backend.${options.label}.log`);
    const log = fs.openSync(logFile, 'w');
    const child = fork(
      require.resolve('./backendMain.ts'),
      ['--config', configFile],
      {
        execArgv: [
          '--require',
          require.resolve('@backstage/cli/config/nodeTransform.cjs'),
          '--expose-gc',
        ],
        env: {
          ...process.env,
          NODE_ENV: 'production',
          BENCH_GITOPS_PROMOTION: options.withGitopsPromotion ? 'on' : 'off',
          ...(options.cpuProfileDir
            ? { BENCH_CPU_PROFILE_DIR: options.cpuProfileDir }
            : {}),
        },
        stdio: ['ignore', log, log, 'ipc'],
      },
    );
    fs.closeSync(log);
    return new BenchBackend(child, options, logFile);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits until /.backstage/health/v1/readiness answers 200. */
  async waitReady(timeoutMs = 180_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(
          `the backend exited during startup; see ${this.logFile}`,
        );
      }
      try {
        const res = await fetch(
          `${this.baseUrl}/.backstage/health/v1/readiness`,
        );
        if (res.status === 200) return Date.now();
      } catch {
        // not listening yet
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    throw new Error(
      `the backend was not ready after ${timeoutMs} ms; see ${this.logFile}`,
    );
  }

  private call<K extends keyof Replies>(message: {
    type: K;
    [field: string]: unknown;
  }): Promise<Replies[K]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the backend did not answer over IPC')),
        120_000,
      );
      this.pending.set(id, m => {
        clearTimeout(timer);
        resolve(m as Replies[K]);
      });
      this.child.send({ ...message, id });
    });
  }

  /** The backend's memory: V8 heap (after a full GC when `gc`) and VmRSS. */
  async memory(gc: boolean): Promise<BackendMemory> {
    const { usage, gc: collected } = await this.call({ type: 'memory', gc });
    // For a closer look: which mappings hold the memory.
    try {
      // (a /proc file reports size 0: copyFile would copy nothing)
      fs.writeFileSync(
        path.join(this.options.dir, `smaps.${this.options.label}.txt`),
        fs.readFileSync(`/proc/${this.pid}/smaps`),
      );
    } catch {
      // the process is gone
    }
    return {
      rssKiB: rssKiB(this.pid) ?? 0,
      anonymousKiB: smapsRollupKiB(this.pid).Anonymous ?? 0,
      heapUsed: usage.heapUsed,
      heapTotal: usage.heapTotal,
      external: usage.external,
      arrayBuffers: usage.arrayBuffers,
      gc: collected,
    };
  }

  /**
   * Ends the CPU profile running since the start or the previous call as
   * <name>.cpuprofile, and starts the next one unless `last`. A no-op
   * unless started with cpuProfileDir.
   */
  async cpuProfile(name: string, last = false): Promise<string | undefined> {
    if (!this.options.cpuProfileDir) return undefined;
    return (await this.call({ type: 'cpuProfile', name, next: !last })).file;
  }

  /** The plugin's OpenTelemetry metrics, cumulative since start (journalFigures). */
  async metrics(): Promise<MetricTotals> {
    const answer = await this.call({ type: 'metrics' });
    if (answer.error !== undefined) {
      throw new Error(`the backend's metrics: ${answer.error}`);
    }
    return answer.metrics;
  }

  async heapSnapshot(file: string): Promise<string> {
    return (await this.call({ type: 'heapSnapshot', file })).file;
  }

  /** SIGTERM (Backstage shuts its plugins down), SIGKILL after 20 s. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}
