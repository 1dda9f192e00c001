import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditEvent, auditArgs, readAuditLog } from './audit';
import { applyRbac, ClusterAccess, writeTokenFile } from './auth';
import {
  apiServerArgs,
  ApiServer,
  startApiServer,
  writeServiceAccountKeys,
} from './apiServer';
import { KubeBinaries, kubeBinaries } from './binaries';
import { Etcd, startEtcd } from './etcd';
import { waitUntilServed } from './crds';
import { withKubeClient } from './kubeClient';
import { freePort } from './ports';
import { stopProcess } from './processes';

export interface ControlPlane extends ClusterAccess {
  /** PEM bundle of the serving certificate and its CA (caData decoded). */
  caPem: string;
  /** Data and log folder (etcd/, pki/, etcd.log, kube-apiserver.log). */
  dir: string;
  /** Process ids of the running etcd and kube-apiserver. */
  readonly pids: { etcd: number; apiServer: number };
  etcd: Pick<Etcd, 'url' | 'revision' | 'compact'>;
  /**
   * Stops kube-apiserver and starts it again on the same port; etcd keeps
   * its data. Returns once custom resources are served again (after a
   * restart they answer 429 "storage is (re)initializing" for a moment).
   */
  restartApiServer(): Promise<void>;
  /**
   * Makes every resourceVersion issued so far answer 410 Gone to a watch:
   * compacts etcd at its current revision (returned), then restarts the
   * apiserver so that its watch cache, which would otherwise keep serving
   * those versions, starts over from the current revision.
   */
  expireWatchHistory(): Promise<number>;
  /**
   * The requests of the reader, restricted and operator users so far (audit.log),
   * e.g. to see a plugin list page by page or relist after a 410. Only with
   * the `audit` option.
   */
  auditEvents(): AuditEvent[];
  /** Stops both processes (SIGTERM, then SIGKILL) and removes the data. */
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** Cluster name (default "testbed"). */
  name?: string;
  /**
   * Folder for data and logs. Default: a new temporary folder, removed on
   * stop. A given folder is emptied on start and keeps its logs after stop.
   */
  stateDir?: string;
  binaries?: KubeBinaries;
  /** Extra or overriding kube-apiserver flags, as --name=value. */
  extraApiServerArgs?: string[];
  /** Log the reader and restricted users' requests to <dir>/audit.log (see auditEvents). */
  audit?: boolean;
  /** Per process startup timeout (default 60 s; a cold start on 2 cores takes ~10 s). */
  startTimeoutMs?: number;
}

/**
 * Starts etcd and kube-apiserver on free 127.0.0.1 ports with static token
 * authentication and RBAC (see docs/kube-testbed.md), and returns once
 * /readyz answers ok and the reader/restricted RBAC is in place.
 */
export async function startControlPlane(
  options: ControlPlaneOptions = {},
): Promise<ControlPlane> {
  const name = options.name ?? 'testbed';
  const binaries = options.binaries ?? kubeBinaries();
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const temporary = !options.stateDir;
  const dir = options.stateDir
    ? path.resolve(options.stateDir)
    : fs.mkdtempSync(path.join(os.tmpdir(), `kube-testbed-${name}-`));
  for (const stale of [
    'etcd',
    'pki',
    'etcd.log',
    'kube-apiserver.log',
    'audit.log',
  ]) {
    fs.rmSync(path.join(dir, stale), { recursive: true, force: true });
  }
  fs.mkdirSync(path.join(dir, 'pki'), { recursive: true });
  const removeData = () =>
    fs.rmSync(temporary ? dir : path.join(dir, 'etcd'), {
      recursive: true,
      force: true,
    });

  const { tokens, file: tokenFile } = writeTokenFile(dir);
  const serviceAccount = writeServiceAccountKeys(path.join(dir, 'pki'));
  let etcd: Etcd;
  try {
    etcd = await startEtcd({ bin: binaries.etcd, dir, timeoutMs });
  } catch (error) {
    removeData();
    throw error;
  }
  const port = await freePort();
  const url = `https://127.0.0.1:${port}`;
  const audit = options.audit ? auditArgs(dir) : undefined;
  const args = apiServerArgs({
    port,
    etcdUrl: etcd.url,
    dir,
    tokenFile,
    serviceAccount,
    extra: [...(audit?.args ?? []), ...(options.extraApiServerArgs ?? [])],
  });
  const launch = () =>
    startApiServer({
      bin: binaries.kubeApiServer,
      args,
      url,
      dir,
      adminToken: tokens.admin,
      timeoutMs,
    });

  let apiServer: ApiServer;
  let launched: ApiServer | undefined;
  try {
    launched = await launch();
    await withKubeClient(
      {
        url,
        caData: Buffer.from(launched.caPem).toString('base64'),
        token: tokens.admin,
      },
      applyRbac,
    );
    apiServer = launched;
  } catch (error) {
    // Started but not set up (RBAC refused): stopped too, not left running.
    if (launched) await stopProcess(launched.process);
    await etcd.stop();
    removeData();
    throw error;
  }

  // Same serving cert after a restart: it stays in --cert-dir.
  const caData = Buffer.from(apiServer.caPem).toString('base64');
  const restartApiServer = async () => {
    await stopProcess(apiServer.process);
    apiServer = await launch();
    // Custom resources answer 429 until their watch cache is filled again.
    await withKubeClient({ url, caData, token: tokens.admin }, client =>
      waitUntilServed(client, timeoutMs),
    );
  };
  let stopped: Promise<void> | undefined;
  return {
    name,
    url,
    caPem: apiServer.caPem,
    caData,
    tokens,
    dir,
    get pids() {
      return { etcd: etcd.process.pid, apiServer: apiServer.process.pid };
    },
    etcd: { url: etcd.url, revision: etcd.revision, compact: etcd.compact },
    restartApiServer,
    auditEvents() {
      if (!audit) {
        throw new Error(
          `kube-testbed: ${name} was started without the audit option`,
        );
      }
      return readAuditLog(audit.logFile);
    },
    async expireWatchHistory() {
      const revision = await etcd.compact();
      await restartApiServer();
      return revision;
    },
    stop() {
      // Apiserver first: stopping etcd under it makes it retry noisily.
      stopped ??= (async () => {
        await stopProcess(apiServer.process);
        await etcd.stop();
        removeData();
      })();
      return stopped;
    },
  };
}

/**
 * Starts one control plane per name, in parallel. Each gets its own folder
 * under stateDir (or a temporary one). If one fails, the others are stopped.
 */
export async function startControlPlanes(
  names: string[],
  options: Omit<ControlPlaneOptions, 'name'> = {},
): Promise<ControlPlane[]> {
  const results = await Promise.allSettled(
    names.map(name =>
      startControlPlane({
        ...options,
        name,
        stateDir: options.stateDir && path.join(options.stateDir, name),
      }),
    ),
  );
  const failed = results.filter(
    (r): r is PromiseRejectedResult => r.status === 'rejected',
  );
  const started = results
    .filter(
      (r): r is PromiseFulfilledResult<ControlPlane> =>
        r.status === 'fulfilled',
    )
    .map(r => r.value);
  if (failed.length > 0) {
    await Promise.all(started.map(cp => cp.stop()));
    throw failed[0].reason;
  }
  return started;
}
