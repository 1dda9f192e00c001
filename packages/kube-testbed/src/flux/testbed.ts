import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FluxBinaries, fluxBinaries } from '../binaries';
import {
  ControlPlane,
  ControlPlaneOptions,
  startControlPlanes,
} from '../controlPlane';
import { installCrds } from '../crds';
import {
  FluxControllerOptions,
  FluxControllers,
  fluxCrdFiles,
  startFluxControllers,
} from './controllers';
import { GitServer, startGitServer } from './gitServer';
import {
  Credentials,
  HelmRepositoryServer,
  startHelmRepositoryServer,
} from './helmRepository';
import { KuboCdStandIn, startKuboCdStandIn } from './kubocd';
import { ObjectStorage, startObjectStorage } from './objectStorage';
import { OciRegistry, startRegistry } from './registry';

/** The basic-auth credentials the git and Helm servers start with (the clusters' Secrets hold them). */
export const SOURCE_CREDENTIALS: { git: Credentials; helm: Credentials } = {
  git: { username: 'flux', password: 'git-pull-secret' },
  helm: { username: 'flux', password: 'helm-pull-secret' },
};

/** The servers Flux fetches from, all on 127.0.0.1, shared by every cluster. */
export interface FluxSources {
  git: GitServer;
  helm: HelmRepositoryServer;
  registry: OciRegistry;
  /** S3-compatible store for Bucket sources, and ExternalArtifact downloads. */
  storage: ObjectStorage;
  dir: string;
  stop(): Promise<void>;
}

/**
 * Starts the git server (asking for SOURCE_CREDENTIALS.git), the Helm
 * repository server (repositories protected one by one with
 * setCredentials), the OCI registry (pulls as REGISTRY_PULL_CREDENTIALS)
 * and the object storage.
 */
export async function startFluxSources(options: {
  dir: string;
  binaries?: FluxBinaries;
}): Promise<FluxSources> {
  const binaries = options.binaries ?? fluxBinaries();
  const dir = path.resolve(options.dir);
  const helm = await startHelmRepositoryServer();
  const storage = await startObjectStorage();
  const stops: Array<() => Promise<void>> = [helm.stop, storage.stop];
  const stop = () => Promise.all(stops.map(s => s())).then(() => undefined);
  try {
    const git = await startGitServer({
      binaries,
      dir: path.join(dir, 'git'),
      credentials: SOURCE_CREDENTIALS.git,
    });
    stops.push(git.stop);
    const registry = await startRegistry({
      binaries,
      dir: path.join(dir, 'registry'),
    });
    stops.push(registry.stop);
    return { git, helm, registry, storage, dir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A control plane with the real Flux controllers reconciling it. */
export interface FluxCluster {
  cp: ControlPlane;
  flux: FluxControllers;
}

/** Control planes running real Flux, the sources they fetch from, and the KuboCD stand-in. */
export interface FluxTestbed {
  sources: FluxSources;
  clusters: FluxCluster[];
  kubocd: KuboCdStandIn;
  /** The cluster of that name; throws with the names there are. */
  cluster(name: string): FluxCluster;
  /** Stops everything: stand-in, controllers, control planes, sources; removes temporary data. */
  stop(): Promise<void>;
}

export interface FluxTestbedOptions
  extends Omit<ControlPlaneOptions, 'name' | 'stateDir'> {
  /** One folder per cluster and one for the sources; default a temporary folder, removed by stop(). */
  stateDir?: string;
  retryDelay?: FluxControllerOptions['retryDelay'];
  /** How often the KuboCD stand-in reconciles Releases (default 1 s). */
  kubocdIntervalMs?: number;
  onKuboCdError?: (error: Error) => void;
}

/**
 * Starts the sources, one control plane per name with the controllers' own
 * CRDs (and KuboCD's Release CRD), the three Flux controllers on each, and
 * the KuboCD stand-in. Whatever started is stopped again if a step fails.
 */
export async function startFluxTestbed(
  names: string[],
  options: FluxTestbedOptions = {},
): Promise<FluxTestbed> {
  const binaries = fluxBinaries();
  const temporary = !options.stateDir;
  const root = options.stateDir
    ? path.resolve(options.stateDir)
    : fs.mkdtempSync(path.join(os.tmpdir(), 'kube-testbed-flux-'));
  const {
    stateDir: _s,
    retryDelay,
    kubocdIntervalMs,
    onKuboCdError,
    ...cpOptions
  } = options;
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    // Reverse order: stand-in, controllers, control planes, sources.
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch(() => undefined);
    }
    cleanups.length = 0;
    if (temporary) fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    const sources = await startFluxSources({
      dir: path.join(root, 'sources'),
      binaries,
    });
    cleanups.push(sources.stop);
    const cps = await startControlPlanes(names, {
      ...cpOptions,
      stateDir: path.join(root, 'clusters'),
    });
    cleanups.push(() =>
      Promise.all(cps.map(cp => cp.stop())).then(() => undefined),
    );
    const crds = fluxCrdFiles(binaries);
    // Settled, not Promise.all: every cluster's controllers that did start
    // are registered for stopping before one cluster's failure stops all.
    const starts = await Promise.allSettled(
      cps.map(async cp => {
        await installCrds(cp, crds);
        const flux = await startFluxControllers(cp, { binaries, retryDelay });
        cleanups.push(flux.stop);
        return { cp, flux };
      }),
    );
    const clusters = starts.map(start => {
      if (start.status === 'rejected') throw start.reason;
      return start.value;
    });
    const kubocd = startKuboCdStandIn({
      clusters: cps,
      helm: sources.helm,
      intervalMs: kubocdIntervalMs,
      onError: onKuboCdError,
    });
    cleanups.push(kubocd.stop);
    let stopped: Promise<void> | undefined;
    return {
      sources,
      clusters,
      kubocd,
      cluster(name) {
        const found = clusters.find(c => c.cp.name === name);
        if (!found) {
          throw new Error(
            `kube-testbed: no cluster ${name} (clusters: ${names.join(', ')})`,
          );
        }
        return found;
      },
      stop: () => (stopped ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
