import path from 'node:path';
import { freePort } from './ports';
import { logTail, ManagedProcess, spawnLogged, stopProcess } from './processes';

/** One single-member etcd serving plain HTTP on 127.0.0.1. */
export interface Etcd {
  url: string;
  process: ManagedProcess;
  stop(): Promise<void>;
  /** The current etcd revision (what kube-apiserver reports as resourceVersion). */
  revision(): Promise<number>;
  /**
   * Compacts the history up to the current revision, as kube-apiserver's own
   * compactor does every --etcd-compaction-interval: watches from an older
   * resourceVersion can no longer be served from etcd. Returns the revision.
   */
  compact(): Promise<number>;
}

/** Calls etcd's JSON gateway (the gRPC API over HTTP, served on the client port). */
async function etcdCall(url: string, method: string, body: object) {
  const res = await fetch(`${url}/v3/${method}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  const json: any = await res.json();
  if (!res.ok) {
    throw new Error(
      `etcd ${method}: ${res.status} ${json?.message ?? JSON.stringify(json)}`,
    );
  }
  return json;
}

async function waitHealthy(
  url: string,
  proc: ManagedProcess,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (proc.hasExited()) {
      throw new Error(
        `kube-testbed: etcd exited (${await proc.exited}) during startup; ${
          proc.logFile
        }:\n${logTail(proc.logFile)}`,
      );
    }
    try {
      const res = await fetch(`${url}/health`);
      const body: any = await res.json();
      if (body.health === 'true') {
        return;
      }
      last = JSON.stringify(body);
    } catch (error) {
      last = String(error);
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(
    `kube-testbed: etcd not healthy after ${timeoutMs} ms (${last}); ${
      proc.logFile
    }:\n${logTail(proc.logFile)}`,
  );
}

export async function startEtcd(options: {
  bin: string;
  dir: string;
  timeoutMs: number;
}): Promise<Etcd> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const proc = spawnLogged(
    'etcd',
    options.bin,
    [
      '--name=testbed',
      `--data-dir=${path.join(options.dir, 'etcd')}`,
      `--listen-client-urls=${url}`,
      `--advertise-client-urls=${url}`,
      // Peer port unused (one member), but must not clash between clusters.
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=testbed=${peerUrl}`,
      // Throwaway data: skip fsync, which dominates write latency on slow disks.
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ],
    path.join(options.dir, 'etcd.log'),
  );
  try {
    await waitHealthy(url, proc, options.timeoutMs);
  } catch (error) {
    await stopProcess(proc, 2000);
    throw error;
  }
  const revision = async () => {
    // Any range answers with the store's current revision in its header.
    const json = await etcdCall(url, 'kv/range', {
      key: Buffer.from('/').toString('base64'),
      count_only: true,
    });
    return Number(json.header.revision);
  };
  return {
    url,
    process: proc,
    stop: () => stopProcess(proc),
    revision,
    compact: async () => {
      const current = await revision();
      await etcdCall(url, 'kv/compaction', {
        revision: current,
        physical: true,
      });
      return current;
    },
  };
}
