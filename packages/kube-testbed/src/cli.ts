/*
 * Local control planes for the demo and manual testing:
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     packages/kube-testbed/src/cli.ts <command> [options]
 *
 *   up --clusters a,b [--fixtures examples/clusters] [--map a=folder,...]
 *      [--state-dir .tools/run/local-clusters] [--app-config out.yaml]
 *      [--environments] [--skip-tls-verify]
 *   scenario break-source|fix-source|promote <tag> --cluster a [--ref Kind/ns/name]
 *   down
 *
 * See docs/kube-testbed.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { ClusterAccess } from './auth';
import { ControlPlane, startControlPlanes } from './controlPlane';
import { installCrds } from './crds';
import { signalProcess } from './processes';
import {
  API_VERSIONS,
  breakSource,
  fixSource,
  seedFixtures,
  setReleaseTag,
  SourceRef,
} from './seed';

interface RunningCluster extends ClusterAccess {
  pids: { etcd: number; apiServer: number };
  dir: string;
}

/** What `up` writes for `scenario` and `down` (tokens inside: mode 600). */
interface StateFile {
  pid: number;
  clusters: RunningCluster[];
}

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    clusters: { type: 'string' },
    fixtures: { type: 'string', default: 'examples/clusters' },
    map: { type: 'string', default: '' },
    'state-dir': { type: 'string', default: '.tools/run/local-clusters' },
    'app-config': { type: 'string' },
    environments: { type: 'boolean', default: false },
    'skip-tls-verify': { type: 'boolean', default: false },
    cluster: { type: 'string' },
    ref: { type: 'string' },
  },
});
const stateDir = path.resolve(options['state-dir']!);
const stateFile = path.join(stateDir, 'clusters.json');

class UsageError extends Error {}

function readState(): StateFile {
  if (!fs.existsSync(stateFile)) {
    throw new UsageError(
      `no running clusters: ${stateFile} not found (start them with "up --state-dir ${options['state-dir']}")`,
    );
  }
  return JSON.parse(fs.readFileSync(stateFile, 'utf8'));
}

/** Whether pid is alive and its command line contains `expected` (pid reuse guard). */
function isRunning(pid: number, expected: string): boolean {
  try {
    return fs
      .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .replace(/\0/g, ' ')
      .includes(expected);
  } catch {
    return false;
  }
}

async function waitGone(pid: number, expected: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid, expected) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  return !isRunning(pid, expected);
}

/** Stops a set started by `up`: the up process if alive, then any leftover server. */
async function down() {
  const state = readState();
  if (isRunning(state.pid, 'cli.ts')) {
    signalProcess(state.pid, 'SIGTERM');
    await waitGone(state.pid, 'cli.ts', 30_000);
  }
  for (const cluster of state.clusters) {
    for (const [pid, binary] of [
      [cluster.pids.apiServer, 'kube-apiserver'],
      [cluster.pids.etcd, 'etcd'],
    ] as const) {
      if (isRunning(pid, binary)) {
        signalProcess(pid, 'SIGTERM');
        if (!(await waitGone(pid, binary, 10_000))) {
          signalProcess(pid, 'SIGKILL');
        }
      }
    }
  }
  fs.rmSync(stateFile, { force: true });
  console.log(
    `kube-testbed: stopped ${state.clusters.map(c => c.name).join(', ')}`,
  );
}

function fixtureFolders(names: string[]): Map<string, string> {
  const mapping = new Map(
    options
      .map!.split(',')
      .filter(Boolean)
      .map(pair => {
        const [cluster, folder] = pair.split('=');
        if (!cluster || !folder) {
          throw new UsageError(
            `--map entries look like cluster=folder, got "${pair}"`,
          );
        }
        return [cluster, folder] as const;
      }),
  );
  return new Map(
    names.map(name => {
      const folder = path.resolve(options.fixtures!, mapping.get(name) ?? name);
      if (!fs.existsSync(folder)) {
        throw new UsageError(
          `fixture folder ${folder} for cluster ${name} not found (choose one with --map ${name}=<folder under ${options.fixtures}>)`,
        );
      }
      return [name, folder];
    }),
  );
}

/**
 * The Backstage config that points the Kubernetes plugin (and gitops-promotion,
 * which reads the same entries) at the clusters with the operator token (read,
 * plus patch for the tab's reconcile, suspend and resume); with
 * --environments, also one gitops-promotion environment per cluster, in order.
 */
function writeAppConfig(file: string, clusters: ControlPlane[]) {
  const config = {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: clusters.map(cp => ({
            name: cp.name,
            url: cp.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: cp.tokens.operator,
            ...(options['skip-tls-verify']
              ? { skipTLSVerify: true }
              : { caData: cp.caData }),
          })),
        },
      ],
    },
    ...(options.environments && {
      gitopsPromotion: {
        environments: clusters.map(cp => ({
          name: cp.name,
          title: cp.name.charAt(0).toUpperCase() + cp.name.slice(1),
          clusters: [cp.name],
        })),
      },
    }),
  };
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(
    file,
    `# Written by packages/kube-testbed (cli.ts up): local control planes, valid while it runs.\n${YAML.stringify(
      config,
    )}`,
    { mode: 0o600 },
  );
}

async function up() {
  const names = (options.clusters ?? '').split(',').filter(Boolean);
  if (names.length === 0) {
    throw new UsageError('up needs --clusters name1,name2,...');
  }
  const folders = fixtureFolders(names);
  if (fs.existsSync(stateFile)) {
    const previous: StateFile = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    if (isRunning(previous.pid, 'cli.ts')) {
      throw new UsageError(
        `clusters already running from ${stateFile} (pid ${previous.pid}): stop them with "down --state-dir ${options['state-dir']}"`,
      );
    }
    await down(); // leftovers of an up that was killed
  }

  const started = Date.now();
  const clusters = await startControlPlanes(names, { stateDir });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= Promise.all(clusters.map(cp => cp.stop())).then(() => {
      fs.rmSync(stateFile, { force: true });
    });
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () =>
      stop().then(
        () => process.exit(0),
        error => {
          console.error(`kube-testbed: ${error.message}`);
          process.exit(1);
        },
      ),
    );
  }

  try {
    await Promise.all(
      clusters.map(async cp => {
        await installCrds(cp);
        await seedFixtures(cp, folders.get(cp.name)!);
      }),
    );
    const state: StateFile = {
      pid: process.pid,
      clusters: clusters.map(cp => ({
        name: cp.name,
        url: cp.url,
        caData: cp.caData,
        tokens: cp.tokens,
        pids: cp.pids,
        dir: cp.dir,
      })),
    };
    fs.writeFileSync(stateFile, JSON.stringify(state, null, 2), {
      mode: 0o600,
    });
    if (options['app-config']) {
      writeAppConfig(options['app-config'], clusters);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `kube-testbed: ready: ${
      clusters.length
    } clusters in ${seconds} s (${clusters
      .map(cp => `${cp.name} ${cp.url}`)
      .join(', ')}); state ${stateFile}${
      options['app-config'] ? `, app-config ${options['app-config']}` : ''
    }; logs in ${stateDir}/<cluster>/; Ctrl-C or "down" stops them`,
  );
  reportDeaths(clusters, () => stopping !== undefined);
}

/**
 * A server that dies under a running portal (killed, out of memory) shows
 * there only as a cluster error; say which one died and where its log is.
 */
function reportDeaths(clusters: ControlPlane[], stopping: () => boolean) {
  const reported = new Set<number>();
  setInterval(() => {
    if (stopping()) return;
    for (const cp of clusters) {
      for (const [bin, pid] of [
        ['etcd', cp.pids.etcd],
        ['kube-apiserver', cp.pids.apiServer],
      ] as const) {
        if (reported.has(pid) || isRunning(pid, bin)) continue;
        reported.add(pid);
        const log = path.join(cp.dir, `${bin}.log`);
        console.error(
          `kube-testbed: ${cp.name}: ${bin} (pid ${pid}) exited, so the cluster no longer answers the portal, which keeps its last data and shows the error. Log: ${log}. Stop with Ctrl-C (or "down") and start again.`,
        );
      }
    }
  }, 2000);
}

/** "Kind/namespace/name" → a ref with the apiVersion the dashboard reads. */
function parseRef(text: string) {
  const [kind, namespace, name] = text.split('/');
  const apiVersion = API_VERSIONS[kind as keyof typeof API_VERSIONS];
  if (!apiVersion || !namespace || !name) {
    throw new UsageError(
      `--ref looks like Kind/namespace/name with Kind one of ${Object.keys(
        API_VERSIONS,
      ).join(', ')}; got "${text}"`,
    );
  }
  return { apiVersion, kind, namespace, name };
}

async function scenario(name: string | undefined, args: string[]) {
  const state = readState();
  const cluster = options.cluster
    ? state.clusters.find(c => c.name === options.cluster)
    : state.clusters.length === 1 && state.clusters[0];
  if (!cluster) {
    throw new UsageError(
      `choose a cluster with --cluster (running: ${state.clusters
        .map(c => c.name)
        .join(', ')})`,
    );
  }
  switch (name) {
    case 'break-source':
    case 'fix-source': {
      const ref = parseRef(options.ref ?? 'OCIRepository/apps/kcd-podinfo');
      if (
        !['GitRepository', 'OCIRepository', 'HelmRepository'].includes(ref.kind)
      ) {
        throw new UsageError(
          `${name} works on a GitRepository, OCIRepository or HelmRepository, not ${ref.kind}`,
        );
      }
      const act = name === 'break-source' ? breakSource : fixSource;
      const source = await act(cluster, ref as SourceRef);
      const ready = source.status?.conditions?.find(
        (c: any) => c.type === 'Ready',
      );
      console.log(
        `${name}: ${ref.kind} ${ref.namespace}/${ref.name} on ${cluster.name}: Ready=${ready?.status} ${ready?.reason}`,
      );
      return;
    }
    case 'promote': {
      const tag = args[0];
      const ref = parseRef(options.ref ?? 'Release/apps/podinfo');
      if (!tag || ref.kind !== 'Release') {
        throw new UsageError(
          'usage: scenario promote <tag> --cluster <name> [--ref Release/<namespace>/<name>]',
        );
      }
      await setReleaseTag(cluster, ref.namespace, ref.name, tag);
      console.log(
        `promote: Release ${ref.namespace}/${ref.name} on ${cluster.name} now at ${tag} (READY)`,
      );
      return;
    }
    default:
      throw new UsageError(
        `unknown scenario "${
          name ?? ''
        }": break-source, fix-source or promote <tag>`,
      );
  }
}

async function main() {
  const [command, ...rest] = positionals;
  switch (command) {
    case 'up':
      return up();
    case 'scenario':
      return scenario(rest[0], rest.slice(1));
    case 'down':
      return down();
    default:
      throw new UsageError(
        `unknown command "${
          command ?? ''
        }": use up, scenario or down (see docs/kube-testbed.md)`,
      );
  }
}

main().catch(error => {
  console.error(`kube-testbed: ${error.message}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
