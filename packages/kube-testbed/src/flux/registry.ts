import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { FluxBinaries } from '../binaries';
import { freePort } from '../ports';
import {
  ManagedProcess,
  spawnLogged,
  stopProcess,
  waitUntilServing,
} from '../processes';
import { Credentials } from './helmRepository';
import { sha256 } from './archives';

/**
 * The registry's users. distribution reads htpasswd files in bcrypt form
 * only, which Node's crypto cannot write: the hashes below were made once
 * (golang.org/x/crypto/bcrypt, cost 5) for these fixed test passwords.
 * `testbed` pushes; `flux` is what the clusters' pull secrets hold.
 */
const USERS = {
  testbed: {
    password: 'testbed-push-secret',
    bcrypt: '$2a$05$D7.syVhqSA4YueC4jghZruLKbEaFPhRIlOZ0XyLaTePFQYsdzBul.',
  },
  flux: {
    password: 'flux-pull-secret',
    bcrypt: '$2a$05$Fd.lvblrBrgGFWxQK5dH2uhlDwIN07Z1guxzzVgrtyriPBnPxcM4a',
  },
};

/** The credentials a cluster's pull secret holds for the registry. */
export const REGISTRY_PULL_CREDENTIALS: Credentials = {
  username: 'flux',
  password: USERS.flux.password,
};

/** One layer or config blob of an OCI artifact. */
export interface OciBlob {
  mediaType: string;
  data: Buffer;
  annotations?: Record<string, string>;
}

/** What `flux push artifact` or `kubocd package` pushes: a config and layers. */
export interface OciArtifact {
  config: OciBlob;
  layers: OciBlob[];
  annotations?: Record<string, string>;
}

/**
 * An OCI registry (distribution/v3 `registry`) on 127.0.0.1 with htpasswd
 * authentication. The clusters pull as `flux`; `rejectPulls()` removes that
 * user (the registry rereads the file when it changes), so every pull gets
 * UNAUTHORIZED until `acceptPulls()`.
 */
export interface OciRegistry {
  /** 127.0.0.1:<port>, as it appears in oci:// URLs and docker config auths. */
  host: string;
  pid(): number;
  logFile: string;
  /** Pushes an artifact under repository:tag; resolves to the manifest digest (sha256:…). */
  push(repository: string, tag: string, artifact: OciArtifact): Promise<string>;
  rejectPulls(): void;
  acceptPulls(): void;
  /** Stops the process ("connection refused") until start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startRegistry(options: {
  binaries: FluxBinaries;
  dir: string;
  timeoutMs?: number;
}): Promise<OciRegistry> {
  const dir = path.resolve(options.dir);
  fs.mkdirSync(path.join(dir, 'storage'), { recursive: true });
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const htpasswd = path.join(dir, 'htpasswd');
  const configFile = path.join(dir, 'config.yml');
  const logFile = path.join(dir, 'registry.log');
  const startedAt = Date.now();
  let writes = 0;
  const writeUsers = (pullsAccepted: boolean) => {
    const users = pullsAccepted ? [USERS.testbed, USERS.flux] : [USERS.testbed];
    const names = pullsAccepted ? ['testbed', 'flux'] : ['testbed'];
    // Written aside and renamed: the registry never reads half a file.
    fs.writeFileSync(
      `${htpasswd}.tmp`,
      users.map((u, i) => `${names[i]}:${u.bcrypt}\n`).join(''),
    );
    fs.renameSync(`${htpasswd}.tmp`, htpasswd);
    // The registry reloads the file when its mtime differs from the last
    // one it read; two writes within one tick of the kernel's coarse clock
    // (4 ms) would share an mtime, so each write gets its own.
    writes += 1;
    const mtime = new Date(startedAt + writes * 1000);
    fs.utimesSync(htpasswd, mtime, mtime);
  };
  writeUsers(true);
  fs.writeFileSync(
    configFile,
    YAML.stringify({
      version: 0.1,
      log: { level: 'info', formatter: 'json', accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: path.join(dir, 'storage') },
        delete: { enabled: true },
      },
      http: {
        addr: host,
        secret: crypto.randomBytes(16).toString('hex'),
      },
      auth: { htpasswd: { realm: 'kube-testbed', path: htpasswd } },
    }),
  );

  const authHeader = `Basic ${Buffer.from(
    `testbed:${USERS.testbed.password}`,
  ).toString('base64')}`;
  const call = async (
    method: string,
    url: string,
    body?: Buffer | string,
    contentType = 'application/octet-stream',
  ) => {
    const res = await fetch(
      url.startsWith('http') ? url : `http://${host}${url}`,
      {
        method,
        // TypeScript 5.9's DOM types take a Uint8Array, not a Buffer.
        body: typeof body === 'string' || !body ? body : new Uint8Array(body),
        headers: { Authorization: authHeader, 'Content-Type': contentType },
      },
    );
    if (!res.ok) {
      throw new Error(
        `kube-testbed: registry ${method} ${url}: ${
          res.status
        } ${await res.text()}`,
      );
    }
    return res;
  };

  let proc: ManagedProcess | undefined;
  const start = async () => {
    if (proc && !proc.hasExited()) return;
    proc = spawnLogged(
      'registry',
      options.binaries.registry,
      ['serve', configFile],
      logFile,
    );
    await waitUntilServing(
      proc,
      async () => {
        // 401 without credentials: the registry answers and enforces auth.
        const res = await fetch(`http://${host}/v2/`);
        return res.status === 401 || res.ok ? undefined : String(res.status);
      },
      options.timeoutMs ?? 30_000,
    );
  };
  await start();

  const uploadBlob = async (repository: string, data: Buffer) => {
    const digest = `sha256:${sha256(data)}`;
    const head = await fetch(
      `http://${host}/v2/${repository}/blobs/${digest}`,
      {
        method: 'HEAD',
        headers: { Authorization: authHeader },
      },
    );
    if (head.ok) return digest;
    const started = await call('POST', `/v2/${repository}/blobs/uploads/`);
    const location = new URL(
      started.headers.get('location')!,
      `http://${host}`,
    );
    location.searchParams.set('digest', digest);
    await call('PUT', location.toString(), data);
    return digest;
  };

  return {
    host,
    pid: () => proc!.pid,
    logFile,
    async push(repository, tag, artifact) {
      const descriptor = async (blob: OciBlob) => ({
        mediaType: blob.mediaType,
        digest: await uploadBlob(repository, blob.data),
        size: blob.data.length,
        ...(blob.annotations && { annotations: blob.annotations }),
      });
      const manifest = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: await descriptor(artifact.config),
        layers: await Promise.all(artifact.layers.map(descriptor)),
        ...(artifact.annotations && { annotations: artifact.annotations }),
      });
      await call(
        'PUT',
        `/v2/${repository}/manifests/${tag}`,
        manifest,
        'application/vnd.oci.image.manifest.v1+json',
      );
      return `sha256:${sha256(manifest)}`;
    },
    rejectPulls: () => writeUsers(false),
    acceptPulls: () => writeUsers(true),
    stop: async () => {
      if (proc) await stopProcess(proc);
    },
    start,
  };
}
