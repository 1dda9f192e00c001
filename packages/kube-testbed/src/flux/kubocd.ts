import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import YAML from 'yaml';
import { asAdmin, ClusterAccess } from '../auth';
import {
  describeError,
  KubeClient,
  KubeObject,
  ObjectRef,
  statusOf,
  withKubeClient,
} from '../kubeClient';
import { API_VERSIONS } from '../seed';
import { KUBOCD_PACKAGE_CONTENT, sha256 } from './archives';
import { HelmRepositoryServer } from './helmRepository';

/**
 * The part of the KuboCD controller the testbed plays (its module, `kubocd`,
 * is not on the Go module proxy): for every Release it creates and patches
 * the Flux children KuboCD creates, named and owned as KuboCD does
 * (DOMAIN.md), serves the package's charts as KuboCD's own Helm repository
 * does, and writes the Release's status (phase, readyReleases,
 * helmReleaseStates) from the children's real conditions, with the events
 * KuboCD emits. Everything else — pulling the package, fetching the index
 * and the chart, installing and upgrading — is the real Flux controllers'.
 */
export interface KuboCdStandIn {
  /** Reconciles every Release of every cluster once. */
  syncNow(): Promise<void>;
  /** Stops the loop (an ongoing pass finishes first). */
  stop(): Promise<void>;
}

const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';

/** One module of a package as the stand-in reads it from the pulled artifact. */
interface PackageModule {
  name: string;
  chart: { name: string; version: string; file: string; data: Buffer };
  values: Record<string, unknown>;
  /** HelmRelease spec fields of the module (install, upgrade, timeout...). */
  helmRelease: Record<string, unknown>;
}

/** What `kuboCdPackage()` puts in the package's content layer. */
export interface PackageManifest {
  name: string;
  tag: string;
  modules: Array<{
    name: string;
    chart: string;
    values?: Record<string, unknown>;
    helmRelease?: Record<string, unknown>;
  }>;
}

const ref = (
  kind: keyof typeof API_VERSIONS,
  namespace: string,
  name: string,
): ObjectRef => ({
  apiVersion: API_VERSIONS[kind],
  kind,
  namespace,
  name,
});

async function readOptional(client: KubeClient, target: ObjectRef) {
  try {
    return await client.read(target);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

const readyCondition = (obj: KubeObject | undefined) =>
  (obj?.status?.conditions as any[] | undefined)?.find(c => c.type === 'Ready');

/** Ready=True about the current spec: a stale verdict does not count (kstatus). */
const readyNow = (obj: KubeObject) => {
  const ready = readyCondition(obj);
  return (
    ready?.status === 'True' &&
    (ready.observedGeneration ?? obj.metadata.generation) ===
      obj.metadata.generation
  );
};

/** KuboCD names a module's HelmRelease `<release>-<module>`, `<release>` for `noname`. */
const helmReleaseName = (release: string, module: string) =>
  module === 'noname' ? release : `${release}-${module}`;

/** Deep merge of plain objects (b wins), as Helm merges values. */
function merge(a: any, b: any): any {
  if (!b || typeof b !== 'object' || Array.isArray(b)) return b ?? a;
  const out: any = { ...(a && typeof a === 'object' ? a : {}) };
  for (const [key, value] of Object.entries(b))
    out[key] = merge(out[key], value);
  return out;
}

/** Reads the package manifest and module charts of a pulled package artifact. */
async function readPackage(artifactUrl: string): Promise<PackageModule[]> {
  const res = await fetch(artifactUrl);
  if (!res.ok) {
    throw new Error(`GET ${artifactUrl}: ${res.status}`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-testbed-kubocd-'));
  try {
    const archive = path.join(dir, 'artifact.tar.gz');
    fs.writeFileSync(archive, Buffer.from(await res.arrayBuffer()));
    const root = path.join(dir, 'content');
    fs.mkdirSync(root);
    await tar.extract({ file: archive, cwd: root });
    const manifest: PackageManifest = YAML.parse(
      fs.readFileSync(path.join(root, 'package.yaml'), 'utf8'),
    );
    return manifest.modules.map(module => {
      const [chartName, version] = module.chart.split('@');
      const file = `${chartName}-${version}.tgz`;
      return {
        name: module.name,
        chart: {
          name: chartName,
          version,
          file,
          data: fs.readFileSync(path.join(root, 'charts', module.name, file)),
        },
        values: module.values ?? {},
        helmRelease: module.helmRelease ?? {},
      };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes a core/v1 event on a Release, as KuboCD's recorder (component `release`) does. */
async function releaseEvent(
  client: KubeClient,
  release: KubeObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
) {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const { namespace, name, uid } = release.metadata;
  await client.create({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${name}.${sha256(
        `${reason}${message}${now}${Math.random()}`,
      ).slice(0, 16)}`,
      namespace,
    },
    involvedObject: {
      apiVersion: release.apiVersion,
      kind: 'Release',
      name,
      namespace,
      uid,
    },
    type,
    reason,
    message,
    count: 1,
    firstTimestamp: now,
    lastTimestamp: now,
    source: { component: 'release' },
    reportingComponent: 'release',
    reportingInstance: '',
  });
}

/**
 * Starts the stand-in for the given clusters: every `intervalMs` it
 * reconciles each Release. `helm` serves the Helm repository KuboCD's
 * controller would (`<helm>/kubocd/<cluster>/<namespace>/<release>`).
 */
export function startKuboCdStandIn(options: {
  clusters: ClusterAccess[];
  helm: HelmRepositoryServer;
  intervalMs?: number;
  /** Called with a pass's error (the loop goes on); default: console.error. */
  onError?: (error: Error) => void;
}): KuboCdStandIn {
  const packages = new Map<string, PackageModule[]>();
  // The phase last reported per Release, to emit each Warning once per episode.
  const warned = new Map<string, string>();

  const loadPackage = async (oci: KubeObject) => {
    const artifact = oci.status!.artifact;
    const key: string = artifact.digest ?? artifact.revision;
    let modules = packages.get(key);
    if (!modules) {
      modules = await readPackage(artifact.url);
      packages.set(key, modules);
    }
    return modules;
  };

  const reconcile = async (
    cluster: ClusterAccess,
    client: KubeClient,
    release: KubeObject,
  ) => {
    const { namespace = 'default', name, uid } = release.metadata;
    const key = `${cluster.name}/${namespace}/${name}`;
    const owner = {
      apiVersion: release.apiVersion,
      kind: 'Release',
      name,
      uid: uid!,
      controller: true,
      blockOwnerDeletion: true,
    };
    const pkg = release.spec?.package ?? {};
    const interval: string = pkg.interval ?? '5m';
    const setStatus = async (
      phase: string,
      extra: Record<string, unknown> = {},
    ) => {
      const status = {
        phase,
        printDescription: release.spec?.description ?? '',
        protected: release.spec?.protected === true,
        ...extra,
      };
      const current = release.status ?? {};
      if (
        Object.entries(status).some(
          ([field, value]) =>
            JSON.stringify(current[field]) !== JSON.stringify(value),
        )
      ) {
        await client.patchStatus(ref('Release', namespace, name), status);
      }
    };
    const warnOnce = async (phase: string, reason: string, message: string) => {
      if (warned.get(key) === `${phase}/${message}`) return;
      warned.set(key, `${phase}/${message}`);
      await releaseEvent(client, release, 'Warning', reason, message);
    };

    if (release.spec?.suspended === true) {
      await setStatus('SUSPENDED');
      return;
    }

    // The package OCIRepository: pulls the package image's content layer.
    const ociName = `kcd-${name}`;
    const ociSpec = {
      url: `oci://${pkg.repository}`,
      ref: { tag: pkg.tag },
      layerSelector: {
        mediaType: KUBOCD_PACKAGE_CONTENT,
        operation: 'extract',
      },
      interval,
      timeout: pkg.timeout ?? '60s',
      provider: 'generic',
      insecure: pkg.insecure === true ? true : undefined,
      secretRef: pkg.secretRef,
    };
    let oci = await readOptional(
      client,
      ref('OCIRepository', namespace, ociName),
    );
    if (!oci) {
      oci = await client.create({
        apiVersion: API_VERSIONS.OCIRepository,
        kind: 'OCIRepository',
        metadata: { name: ociName, namespace, ownerReferences: [owner] },
        spec: ociSpec,
      });
      await releaseEvent(
        client,
        release,
        'Normal',
        'OCIRepositoryCreated',
        `Created OCIRepository "${ociName}"`,
      );
    } else if (
      oci.spec?.url !== ociSpec.url ||
      oci.spec?.ref?.tag !== ociSpec.ref.tag ||
      oci.spec?.secretRef?.name !== ociSpec.secretRef?.name
    ) {
      oci = await client.mergePatch(ref('OCIRepository', namespace, ociName), {
        spec: { ...ociSpec, secretRef: ociSpec.secretRef ?? null },
      });
    }
    const ociReady = readyCondition(oci);
    const revision: string | undefined = oci.status?.artifact?.revision;
    if (ociReady?.status !== 'True' || !revision?.startsWith(`${pkg.tag}@`)) {
      if (ociReady?.status === 'False') {
        await warnOnce(
          'WAIT_OCI',
          'OCIRepositoryNotReady',
          `OCIRepository '${ociName}' is not ready`,
        );
      }
      await setStatus('WAIT_OCI');
      return;
    }

    // KuboCD's controller serves the package's charts as a Helm repository.
    const modules = await loadPackage(oci);
    // Each cluster runs its own KuboCD controller, serving its own repository.
    const repoPath = `kubocd/${cluster.name}/${namespace}/${name}`;
    let published = false;
    for (const module of modules) {
      const changed = options.helm.publish(repoPath, {
        name: module.chart.name,
        version: module.chart.version,
        appVersion: module.chart.version,
        fileName: module.chart.file,
        data: module.chart.data,
        digest: sha256(module.chart.data),
      });
      published = published || changed;
    }
    const repoName = `kcd-${name}`;
    let repo = await readOptional(
      client,
      ref('HelmRepository', namespace, repoName),
    );
    if (!repo) {
      repo = await client.create({
        apiVersion: API_VERSIONS.HelmRepository,
        kind: 'HelmRepository',
        metadata: { name: repoName, namespace, ownerReferences: [owner] },
        spec: { url: options.helm.repositoryUrl(repoPath), interval },
      });
      await releaseEvent(
        client,
        release,
        'Normal',
        'HelmRepositoryCreated',
        `Created HelmRepository "${repoName}"`,
      );
    } else if (published) {
      // New charts to serve: ask for the index now, as `flux reconcile source helm` does.
      repo = await client.mergePatch(
        ref('HelmRepository', namespace, repoName),
        {
          metadata: {
            annotations: { [REQUESTED_AT]: new Date().toISOString() },
          },
        },
      );
    }
    // Until source-controller took up the request, its index lacks the new charts.
    const requested = repo.metadata.annotations?.[REQUESTED_AT];
    if (
      readyCondition(repo)?.status !== 'True' ||
      (requested && repo.status?.lastHandledReconcileAt !== requested)
    ) {
      await setStatus('WAIT_REPO');
      return;
    }

    const states: Record<string, { ready: string; status: string }> = {};
    for (const module of modules) {
      const hrName = helmReleaseName(name, module.name);
      const spec = {
        interval,
        releaseName: hrName,
        targetNamespace: release.spec?.targetNamespace ?? namespace,
        chart: {
          spec: {
            chart: module.chart.name,
            version: module.chart.version,
            interval,
            reconcileStrategy: 'ChartVersion',
            sourceRef: { kind: 'HelmRepository', name: repoName, namespace },
          },
        },
        values: merge(module.values, release.spec?.parameters ?? {}),
        ...module.helmRelease,
      };
      let hr = await readOptional(
        client,
        ref('HelmRelease', namespace, hrName),
      );
      if (!hr) {
        hr = await client.create({
          apiVersion: API_VERSIONS.HelmRelease,
          kind: 'HelmRelease',
          metadata: { name: hrName, namespace, ownerReferences: [owner] },
          spec,
        });
        await releaseEvent(
          client,
          release,
          'Normal',
          'HelmReleaseCreated',
          `Created HelmRelease "${hrName}"`,
        );
      } else if (
        hr.spec?.chart?.spec?.version !== module.chart.version ||
        JSON.stringify(hr.spec?.values ?? {}) !== JSON.stringify(spec.values)
      ) {
        // One update (PUT with resourceVersion): values replaced, not merged.
        hr = (await client.objects.replace({
          ...hr,
          spec: { ...hr.spec, chart: spec.chart, values: spec.values },
        })) as KubeObject;
      }
      const ready = readyCondition(hr);
      let readiness = ready?.status === 'False' ? 'False' : 'Unknown';
      if (readyNow(hr)) readiness = 'True';
      states[module.name] = { ready: readiness, status: ready?.message ?? '' };
    }
    const readyCount = Object.values(states).filter(
      s => s.ready === 'True',
    ).length;
    const extra = {
      readyReleases: `${readyCount}/${modules.length}`,
      helmReleaseStates: states,
    };
    if (readyCount < modules.length) {
      await setStatus('WAIT_HREL', extra);
      return;
    }
    warned.delete(key);
    await setStatus('READY', extra);
  };

  const pass = async () => {
    await Promise.all(
      options.clusters.map(cluster =>
        withKubeClient(asAdmin(cluster), async client => {
          const releases = await client.objects.list(
            API_VERSIONS.Release,
            'Release',
          );
          for (const release of releases.items as KubeObject[]) {
            try {
              await reconcile(cluster, client, release);
            } catch (error) {
              (options.onError ?? (e => console.error(e.message)))(
                new Error(
                  `kube-testbed: KuboCD stand-in: Release ${
                    release.metadata.namespace
                  }/${release.metadata.name} on ${
                    cluster.name
                  }: ${describeError(error)}`,
                ),
              );
            }
          }
        }),
      ),
    );
  };

  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = pass()
        .catch(error =>
          (options.onError ?? (e => console.error(e.message)))(error),
        )
        .finally(schedule);
    }, options.intervalMs ?? 1000);
  };
  schedule();

  return {
    syncNow: async () => {
      await current;
      await pass();
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
