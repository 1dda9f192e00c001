import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { asAdmin, ClusterAccess } from '../auth';
import { FluxBinaries, fluxBinaries } from '../binaries';
import { CRD_DIR } from '../paths';
import { statusOf, withKubeClient } from '../kubeClient';
import { freePort } from '../ports';
import {
  ManagedProcess,
  spawnLogged,
  stopProcess,
  waitUntilServing,
} from '../processes';

/** The controllers of the Flux 2.8 line the testbed runs. */
export const FLUX_CONTROLLERS = [
  'source-controller',
  'kustomize-controller',
  'helm-controller',
] as const;
export type FluxControllerName = (typeof FLUX_CONTROLLERS)[number];

/** Flux's own namespace: RUNTIME_NAMESPACE of the controllers. */
export const FLUX_NAMESPACE = 'flux-system';

/** The Flux controllers of one control plane, running as local processes. */
export interface FluxControllers {
  /** Where source-controller serves artifacts (status.artifact.url points here). */
  storageUrl: string;
  /** Folder of the kubeconfig, artifact storage and one log per controller. */
  dir: string;
  pids(): Record<FluxControllerName, number>;
  logFile(name: FluxControllerName): string;
  /** Stops the controllers (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
}

export interface FluxControllerOptions {
  binaries?: FluxBinaries;
  /** Default: <control plane dir>/flux. */
  dir?: string;
  /**
   * The controllers' retry backoff for failing objects (--min-retry-delay,
   * --max-retry-delay). Default Flux's own: 750ms doubling up to 15m. Tests
   * cap it so a failing object retries within seconds.
   */
  retryDelay?: { min: string; max: string };
  startTimeoutMs?: number;
}

/**
 * A kubeconfig for the controllers: the control plane's URL and CA, and the
 * testbed-flux user's token (cluster-admin).
 */
function writeKubeconfig(file: string, cp: ClusterAccess) {
  fs.writeFileSync(
    file,
    YAML.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: cp.name,
          cluster: { server: cp.url, 'certificate-authority-data': cp.caData },
        },
      ],
      users: [{ name: 'flux', user: { token: cp.tokens.flux } }],
      contexts: [
        { name: cp.name, context: { cluster: cp.name, user: 'flux' } },
      ],
      'current-context': cp.name,
    }),
    { mode: 0o600 },
  );
}

/**
 * Starts source-controller, kustomize-controller and helm-controller against
 * a control plane, as local processes: token kubeconfig, leader election
 * off, every namespace watched, artifacts stored under `dir` and served on
 * 127.0.0.1. Resolves once each answers /readyz. The control plane needs
 * the controllers' CRDs (fluxCrdFiles()).
 */
export async function startFluxControllers(
  cp: ClusterAccess & { dir: string },
  options: FluxControllerOptions = {},
): Promise<FluxControllers> {
  const binaries = options.binaries ?? fluxBinaries();
  const dir = path.resolve(options.dir ?? path.join(cp.dir, 'flux'));
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  for (const sub of ['storage', 'tmp']) {
    fs.rmSync(path.join(dir, sub), { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
  }
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeKubeconfig(kubeconfig, cp);
  await withKubeClient(asAdmin(cp), async client => {
    try {
      await client.create({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: FLUX_NAMESPACE },
      });
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
  });

  const storagePort = await freePort();
  const storageUrl = `http://127.0.0.1:${storagePort}`;
  const extraArgs: Record<FluxControllerName, string[]> = {
    'source-controller': [
      `--storage-path=${path.join(dir, 'storage')}`,
      `--storage-addr=127.0.0.1:${storagePort}`,
      `--storage-adv-addr=127.0.0.1:${storagePort}`,
    ],
    // Off by default in Flux 2.8: without it an ExternalArtifact source is
    // refused (AccessDenied, Stalled). Clusters using generators turn it on.
    'kustomize-controller': ['--feature-gates=ExternalArtifact=true'],
    'helm-controller': ['--feature-gates=ExternalArtifact=true'],
  };
  const bins: Record<FluxControllerName, string> = {
    'source-controller': binaries.sourceController,
    'kustomize-controller': binaries.kustomizeController,
    'helm-controller': binaries.helmController,
  };
  const env = {
    KUBECONFIG: kubeconfig,
    RUNTIME_NAMESPACE: FLUX_NAMESPACE,
    TMPDIR: path.join(dir, 'tmp'),
    HOME: path.join(dir, 'tmp'),
  };

  const started: ManagedProcess[] = [];
  const stop = async () => {
    await Promise.all(started.map(proc => stopProcess(proc)));
  };
  try {
    const ready: Array<Promise<void>> = [];
    for (const name of FLUX_CONTROLLERS) {
      const [metricsPort, healthPort] = [await freePort(), await freePort()];
      const proc = spawnLogged(
        name,
        bins[name],
        [
          '--enable-leader-election=false',
          '--watch-all-namespaces=true',
          '--log-encoding=json',
          `--metrics-addr=127.0.0.1:${metricsPort}`,
          `--health-addr=127.0.0.1:${healthPort}`,
          ...(options.retryDelay
            ? [
                `--min-retry-delay=${options.retryDelay.min}`,
                `--max-retry-delay=${options.retryDelay.max}`,
              ]
            : []),
          ...extraArgs[name],
        ],
        path.join(dir, `${name}.log`),
        env,
      );
      started.push(proc);
      ready.push(
        waitUntilServing(
          proc,
          async () => {
            const res = await fetch(`http://127.0.0.1:${healthPort}/readyz`);
            return res.ok ? undefined : `${res.status} ${await res.text()}`;
          },
          timeoutMs,
          200,
        ),
      );
    }
    await Promise.all(ready);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    storageUrl,
    dir,
    pids: () =>
      Object.fromEntries(started.map(p => [p.name, p.pid])) as Record<
        FluxControllerName,
        number
      >,
    logFile: name => path.join(dir, `${name}.log`),
    stop,
  };
}

/** The controllers' own CRDs (from the built release modules) and the KuboCD Release CRD. */
export function fluxCrdFiles(
  binaries: FluxBinaries = fluxBinaries(),
): string[] {
  return [
    ...fs
      .readdirSync(binaries.crdDir)
      .filter(file => file.endsWith('.yaml'))
      .sort()
      .map(file => path.join(binaries.crdDir, file)),
    path.join(CRD_DIR, 'release.yaml'),
  ];
}
