/*
 * Local control planes for the demo and manual testing:
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     packages/kube-testbed/src/cli.ts <command> [options]
 *
 *   up --flux [--state-dir .tools/run/local-clusters] [--app-config out.yaml]
 *      [--environments] [--skip-tls-verify]
 *   up --clusters a,b [--fixtures examples/clusters] [--map a=folder,...] [...]
 *   scenario <name> [args] [--cluster name]     (with up --flux)
 *   down
 *
 * See docs/kube-testbed.md.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { ClusterAccess } from './auth';
import { ControlPlane, startControlPlanes } from './controlPlane';
import { installCrds, seededCrdFiles } from './crds';
import {
  DEMO_CLUSTERS,
  deployDemo,
  publishDemoSources,
  runDemoScenario,
  ScenarioRequest,
  UsageError as ScenarioUsageError,
} from './flux/demo';
import { FluxTestbed, startFluxTestbed } from './flux/testbed';
import { freePort } from './ports';
import { signalProcess } from './processes';
import { seedFixtures } from './seed';

interface RunningCluster extends ClusterAccess {
  /** Process id per program (etcd, kube-apiserver, the Flux controllers). */
  pids: Record<string, number>;
  dir: string;
}

/** What `up` writes for `scenario` and `down` (tokens inside: mode 600). */
interface StateFile {
  pid: number;
  clusters: RunningCluster[];
  /** The source servers of `up --flux`, by program. */
  sourcePids?: Record<string, number>;
  /** Where `scenario` asks `up --flux` to act on its sources. */
  control?: { url: string; token: string };
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
    flux: { type: 'boolean', default: false },
    cluster: { type: 'string' },
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
  // Controllers and kube-apiserver before etcd, sources last.
  const order = (binary: string) => (binary === 'etcd' ? 1 : 0);
  const leftovers = [
    ...state.clusters.flatMap(c =>
      Object.entries(c.pids).sort(([a], [b]) => order(a) - order(b)),
    ),
    ...Object.entries(state.sourcePids ?? {}),
  ];
  for (const [binary, pid] of leftovers) {
    if (isRunning(pid, binary)) {
      signalProcess(pid, 'SIGTERM');
      if (!(await waitGone(pid, binary, 10_000))) {
        signalProcess(pid, 'SIGKILL');
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

/** One line of what a running set is, and how to stop it. */
function readyLine(clusters: ControlPlane[], started: number) {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return `kube-testbed: ready: ${
    clusters.length
  } clusters in ${seconds} s (${clusters
    .map(cp => `${cp.name} ${cp.url}`)
    .join(', ')}); state ${stateFile}${
    options['app-config'] ? `, app-config ${options['app-config']}` : ''
  }; logs in ${stateDir}/<cluster>/; Ctrl-C or "down" stops them`;
}

/** Refuses to start over a running set; cleans up after one that was killed. */
async function checkNotRunning() {
  if (!fs.existsSync(stateFile)) return;
  const previous: StateFile = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  if (isRunning(previous.pid, 'cli.ts')) {
    throw new UsageError(
      `clusters already running from ${stateFile} (pid ${previous.pid}): stop them with "down --state-dir ${options['state-dir']}"`,
    );
  }
  await down(); // leftovers of an up that was killed
}

/** Stops everything on SIGINT/SIGTERM (once), then exits. */
function stopOnSignals(stop: () => Promise<void>) {
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
}

function writeState(state: StateFile, clusters: ControlPlane[]) {
  fs.writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
  if (options['app-config']) {
    writeAppConfig(options['app-config'], clusters);
  }
}

/** `up --clusters`: control planes seeded from fixture folders, no controllers. */
async function upSeeded() {
  const names = (options.clusters ?? '').split(',').filter(Boolean);
  if (names.length === 0) {
    throw new UsageError('up needs --flux, or --clusters name1,name2,...');
  }
  const folders = fixtureFolders(names);
  await checkNotRunning();
  const started = Date.now();
  const clusters = await startControlPlanes(names, { stateDir });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= Promise.all(clusters.map(cp => cp.stop())).then(() => {
      fs.rmSync(stateFile, { force: true });
    });
    return stopping;
  };
  stopOnSignals(stop);
  try {
    await Promise.all(
      clusters.map(async cp => {
        await installCrds(cp, seededCrdFiles());
        // No controller runs here: the fixtures' Flux statuses are the demo.
        await seedFixtures(cp, folders.get(cp.name)!, { fluxStatus: true });
      }),
    );
    writeState(
      {
        pid: process.pid,
        clusters: clusters.map(cp => ({
          name: cp.name,
          url: cp.url,
          caData: cp.caData,
          tokens: cp.tokens,
          pids: { etcd: cp.pids.etcd, 'kube-apiserver': cp.pids.apiServer },
          dir: cp.dir,
        })),
      },
      clusters,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  console.log(readyLine(clusters, started));
  reportDeaths(
    () =>
      clusters.map(cp => ({
        name: cp.name,
        dir: cp.dir,
        pids: { etcd: cp.pids.etcd, 'kube-apiserver': cp.pids.apiServer },
      })),
    () => stopping !== undefined,
  );
}

/**
 * `up --flux`: the four demo clusters with the real Flux controllers, the
 * sources they fetch from, the KuboCD stand-in, and the demo's services;
 * scenario commands reach it over a control endpoint on 127.0.0.1 whose
 * token is in the state file.
 */
async function upFlux() {
  if (options.clusters) {
    throw new UsageError(
      `up --flux starts the demo's clusters (${DEMO_CLUSTERS.join(
        ', ',
      )}); drop --clusters`,
    );
  }
  await checkNotRunning();
  const started = Date.now();
  const testbed = await startFluxTestbed([...DEMO_CLUSTERS], {
    stateDir,
    onKuboCdError: error => console.error(error.message),
  });
  const clusters = testbed.clusters.map(c => c.cp);
  let control: http.Server | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      control?.close();
      await testbed.stop();
      fs.rmSync(stateFile, { force: true });
    })();
    return stopping;
  };
  stopOnSignals(stop);
  try {
    await publishDemoSources(testbed);
    await Promise.all(DEMO_CLUSTERS.map(name => deployDemo(testbed, name)));
    const token = crypto.randomBytes(24).toString('hex');
    const port = await freePort();
    const save = () =>
      writeState(
        {
          pid: process.pid,
          clusters: fluxClusterStates(testbed),
          sourcePids: sourcePids(testbed),
          control: { url: `http://127.0.0.1:${port}`, token },
        },
        clusters,
      );
    control = await serveScenarios(testbed, port, token, save);
    save();
  } catch (error) {
    await stop();
    throw error;
  }
  console.log(readyLine(clusters, started));
  reportDeaths(
    () =>
      fluxClusterStates(testbed).map(c => ({
        name: c.name,
        dir: c.dir,
        pids: c.pids,
      })),
    () => stopping !== undefined,
  );
}

function fluxClusterStates(testbed: FluxTestbed): RunningCluster[] {
  return testbed.clusters.map(({ cp, flux }) => ({
    name: cp.name,
    url: cp.url,
    caData: cp.caData,
    tokens: cp.tokens,
    pids: {
      etcd: cp.pids.etcd,
      'kube-apiserver': cp.pids.apiServer,
      ...flux.pids(),
    },
    dir: cp.dir,
  }));
}

function sourcePids(testbed: FluxTestbed): Record<string, number> {
  const { git, registry } = testbed.sources;
  const gitPid = git.pid();
  return {
    registry: registry.pid(),
    ...(gitPid !== undefined && { gitserver: gitPid }),
  };
}

/** The control endpoint: POST /scenario {name, args, cluster} with the bearer token. */
function serveScenarios(
  testbed: FluxTestbed,
  port: number,
  token: string,
  /** After each scenario: a restarted server has a new pid. */
  changed: () => void,
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const reply = (status: number, text: string) => {
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(`${text}\n`);
    };
    if (
      req.method !== 'POST' ||
      req.url !== '/scenario' ||
      req.headers.authorization !== `Bearer ${token}`
    ) {
      reply(404, 'not found');
      return;
    }
    let body = '';
    req.on('data', chunk => {
      body += chunk;
    });
    req.on('end', () => {
      let request: ScenarioRequest;
      try {
        request = JSON.parse(body);
      } catch {
        reply(400, 'the body must be JSON');
        return;
      }
      runDemoScenario(testbed, request).then(
        done => {
          changed();
          console.log(`kube-testbed: scenario ${request.name}: ${done}`);
          reply(200, done);
        },
        error =>
          reply(error instanceof ScenarioUsageError ? 400 : 500, error.message),
      );
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * A server that dies under a running portal (killed, out of memory) shows
 * there only as a cluster error (or, for a controller, as statuses that stop
 * changing); say which one died and where its log is.
 */
function reportDeaths(
  running: () => Array<{
    name: string;
    dir: string;
    pids: Record<string, number>;
  }>,
  stopping: () => boolean,
) {
  const reported = new Set<number>();
  setInterval(() => {
    if (stopping()) return;
    for (const cluster of running()) {
      for (const [bin, pid] of Object.entries(cluster.pids)) {
        if (reported.has(pid) || isRunning(pid, bin)) continue;
        reported.add(pid);
        const log = path.join(
          cluster.dir,
          bin === 'etcd' || bin === 'kube-apiserver'
            ? `${bin}.log`
            : path.join('flux', `${bin}.log`),
        );
        console.error(
          `kube-testbed: ${cluster.name}: ${bin} (pid ${pid}) exited; the portal keeps its last data and shows what fails. Log: ${log}. Stop with Ctrl-C (or "down") and start again.`,
        );
      }
    }
  }, 2000);
}

/** Asks `up --flux` to act on its sources. */
async function scenario(name: string | undefined, args: string[]) {
  const state = readState();
  if (!state.control) {
    throw new UsageError(
      'scenario commands act on the sources of "up --flux"; these clusters were seeded from fixtures',
    );
  }
  if (!name) {
    throw new UsageError(
      'usage: scenario <name> [args] [--cluster name] (see docs/kube-testbed.md)',
    );
  }
  const request: ScenarioRequest = { name, args, cluster: options.cluster };
  const res = await fetch(`${state.control.url}/scenario`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${state.control.token}` },
    body: JSON.stringify(request),
  });
  const text = (await res.text()).trim();
  if (!res.ok) {
    throw res.status === 400 ? new UsageError(text) : new Error(text);
  }
  console.log(`${name}: ${text}`);
}

async function main() {
  const [command, ...rest] = positionals;
  switch (command) {
    case 'up':
      return options.flux ? upFlux() : upSeeded();
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
