import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Health } from '@kubernetes/client-node';
import { kubeConfig } from './kubeClient';
import { logTail, ManagedProcess, spawnLogged, stopProcess } from './processes';

/** A running kube-apiserver and what clients need to reach it. */
export interface ApiServer {
  process: ManagedProcess;
  /** PEM bundle of the self-signed serving certificate and its CA. */
  caPem: string;
}

/** Writes an ECDSA P-256 key pair for signing service account tokens. */
export function writeServiceAccountKeys(dir: string) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const publicFile = path.join(dir, 'service-account.pub');
  const privateFile = path.join(dir, 'service-account.key');
  fs.writeFileSync(publicFile, publicKey);
  fs.writeFileSync(privateFile, privateKey, { mode: 0o600 });
  return { publicFile, privateFile };
}

/**
 * The flags of a kube-apiserver that runs alone: no kubelets, controllers or
 * cloud. `extra` flags (--name=value) replace defaults of the same name.
 */
export function apiServerArgs(options: {
  port: number;
  etcdUrl: string;
  dir: string;
  tokenFile: string;
  serviceAccount: { publicFile: string; privateFile: string };
  extra: string[];
}): string[] {
  const args = new Map<string, string>([
    ['--etcd-servers', options.etcdUrl],
    ['--bind-address', '127.0.0.1'],
    ['--advertise-address', '127.0.0.1'],
    ['--secure-port', String(options.port)],
    // No --tls-cert-file: kube-apiserver generates a self-signed serving
    // cert (for 127.0.0.1 and localhost) into --cert-dir and reuses it on restart.
    ['--cert-dir', path.join(options.dir, 'pki')],
    ['--token-auth-file', options.tokenFile],
    ['--authorization-mode', 'RBAC'],
    // Required even with no pods: the token issuer and keys, the service CIDR.
    ['--service-account-issuer', `https://127.0.0.1:${options.port}`],
    ['--service-account-key-file', options.serviceAccount.publicFile],
    ['--service-account-signing-key-file', options.serviceAccount.privateFile],
    ['--service-cluster-ip-range', '10.0.0.0/24'],
    // ServiceAccount admission waits for the default service account, which
    // only kube-controller-manager creates.
    ['--disable-admission-plugins', 'ServiceAccount'],
    // The "kubernetes" Service endpoints would point at 127.0.0.1, which
    // Endpoints validation rejects: nothing in the testbed needs them.
    ['--endpoint-reconciler-type', 'none'],
    // Seeded events must outlive a demo session (default 1h).
    ['--event-ttl', '24h'],
    // On SIGTERM, end open watches cleanly as a draining apiserver does;
    // without it, shutdown waits for them until stopProcess kills it (10 s).
    ['--shutdown-watch-termination-grace-period', '2s'],
    ['--profiling', 'false'],
  ]);
  for (const flag of options.extra) {
    const match = /^(--[a-z0-9-]+)=(.*)$/s.exec(flag);
    if (!match) {
      throw new Error(
        `kube-testbed: extra apiserver flag "${flag}" must look like --name=value`,
      );
    }
    args.set(match[1], match[2]);
  }
  return [...args].map(([name, value]) => `${name}=${value}`);
}

/** Starts kube-apiserver and waits until /readyz answers ok. */
export async function startApiServer(options: {
  bin: string;
  args: string[];
  url: string;
  dir: string;
  adminToken: string;
  timeoutMs: number;
}): Promise<ApiServer> {
  const logFile = path.join(options.dir, 'kube-apiserver.log');
  const proc = spawnLogged(
    'kube-apiserver',
    options.bin,
    options.args,
    logFile,
  );
  const certFile = path.join(options.dir, 'pki', 'apiserver.crt');
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no serving certificate yet';
  while (Date.now() < deadline) {
    if (proc.hasExited()) {
      throw new Error(
        `kube-testbed: kube-apiserver exited (${await proc.exited}) during startup; ${logFile}:\n${logTail(
          logFile,
        )}`,
      );
    }
    if (fs.existsSync(certFile)) {
      const caPem = fs.readFileSync(certFile, 'utf8');
      const health = new Health(
        kubeConfig({
          url: options.url,
          caData: Buffer.from(caPem).toString('base64'),
          token: options.adminToken,
        }),
      );
      try {
        if (await health.readyz({})) {
          return { process: proc, caPem };
        }
        last = '/readyz is not ok yet';
      } catch (error) {
        last = (error as Error).message;
      }
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  await stopProcess(proc, 2000);
  throw new Error(
    `kube-testbed: kube-apiserver not ready after ${
      options.timeoutMs
    } ms (${last}); ${logFile}:\n${logTail(logFile)}`,
  );
}
