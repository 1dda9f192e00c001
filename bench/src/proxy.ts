import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import { AddressInfo } from 'node:net';

/** One cluster behind a proxy: the API server and the certificate it serves. */
export interface ProxyTarget {
  name: string;
  /** https://127.0.0.1:<port> of the API server. */
  upstream: string;
  /** PEM of the API server's serving certificate and key: the proxy presents the same identity. */
  certFile: string;
  keyFile: string;
  /** PEM bundle the upstream certificate chains to. */
  caPem: string;
}

/** What a proxy saw of one cluster. */
export interface ProxyCounts {
  /** Every request forwarded (watches included). */
  requests: number;
  /** Requests with watch=true (long-lived streams). */
  watches: number;
  /** GET /version: the backend's liveness probe of a cluster it heard nothing from for a while. */
  probes: number;
  /** Date.now() of the first request, if any. */
  firstRequestAt?: number;
}

type Message =
  | { id: number; type: 'start'; targets: ProxyTarget[]; latencyMs: number }
  | { id: number; type: 'counts' };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** What the proxy process answers to each message. */
interface Replies {
  start: { ports: Record<string, number> };
  counts: { counts: Record<string, ProxyCounts> };
}

const isWatch = (url: string | undefined) =>
  /[?&]watch=(true|1)(&|$)/.test(url ?? '');

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'upgrade'];

function withoutHopByHop(headers: Record<string, unknown>) {
  const copy = { ...headers };
  for (const h of HOP_BY_HOP) delete copy[h];
  return copy;
}

/**
 * A TLS-terminating HTTP/1.1 proxy in front of one API server: it presents
 * the API server's own certificate (so clients keep their caData), holds
 * every request `latencyMs` before forwarding it on a keep-alive connection,
 * streams the answer back (a watch's events flow as they come; only its
 * first response is delayed), and counts requests.
 */
export function startProxy(
  target: ProxyTarget,
  latencyMs: number,
  counts: ProxyCounts,
): Promise<https.Server> {
  const upstream = new URL(target.upstream);
  const agent = new https.Agent({
    ca: target.caPem,
    keepAlive: true,
    maxSockets: Infinity,
  });
  const server = https.createServer(
    {
      cert: fs.readFileSync(target.certFile),
      key: fs.readFileSync(target.keyFile),
    },
    (req, res) => {
      counts.requests += 1;
      counts.firstRequestAt ??= Date.now();
      if (isWatch(req.url)) counts.watches += 1;
      if (req.url === '/version') counts.probes += 1;
      const forward = () => {
        if (res.destroyed) return;
        const up = https.request(
          {
            hostname: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: {
              ...withoutHopByHop(req.headers),
              host: upstream.host,
            },
            agent,
          },
          upRes => {
            res.writeHead(
              upRes.statusCode ?? 502,
              withoutHopByHop(upRes.headers) as Record<string, string>,
            );
            // As the API server does: a watch's headers go out at once, not
            // with its first event (a bookmark comes about once a minute).
            res.flushHeaders();
            upRes.pipe(res);
          },
        );
        up.on('error', () => res.destroy());
        // A client that stops a watch closes its side: end the upstream stream too.
        res.on('close', () => {
          if (!res.writableFinished) up.destroy();
        });
        req.pipe(up);
      };
      const timer = setTimeout(forward, latencyMs);
      res.on('close', () => clearTimeout(timer));
    },
  );
  // Long-lived connections and watch streams, as an API server allows.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  server.requestTimeout = 0;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Entry of the proxy process (see ProxyFleet). */
export function runProxyProcess(): void {
  const counts = new Map<string, ProxyCounts>();
  const servers: https.Server[] = [];
  process.on('message', async (message: Message) => {
    try {
      if (message.type === 'start') {
        const ports: Record<string, number> = {};
        for (const target of message.targets) {
          const c: ProxyCounts = { requests: 0, watches: 0, probes: 0 };
          counts.set(target.name, c);
          const server = await startProxy(target, message.latencyMs, c);
          servers.push(server);
          ports[target.name] = (server.address() as AddressInfo).port;
        }
        process.send!({ id: message.id, ports });
      } else if (message.type === 'counts') {
        process.send!({ id: message.id, counts: Object.fromEntries(counts) });
      }
    } catch (e) {
      process.send!({ id: message.id, error: String(e) });
    }
  });
  // The bench went away: so do the proxies.
  process.on('disconnect', () => process.exit(0));
}

/**
 * The proxies of the whole fleet, in their own Node process so that their
 * TLS and copying work does not sit on the event loop that times requests.
 */
export class ProxyFleet {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (e: Error) => void }
  >();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', reply => {
      const message = reply as { id: number; error?: string };
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.error) waiter.reject(new Error(message.error));
      else waiter.resolve(message);
    });
    child.on('exit', code => {
      for (const waiter of this.pending.values()) {
        waiter.reject(new Error(`proxy process exited (${code})`));
      }
      this.pending.clear();
    });
  }

  /** Starts the proxy process and one proxy per target; returns the proxies' URLs by cluster. */
  static async start(
    targets: ProxyTarget[],
    latencyMs: number,
    logFile: string,
  ): Promise<{ fleet: ProxyFleet; urls: Record<string, string> }> {
    const log = fs.openSync(logFile, 'a');
    const child = fork(require.resolve('./proxyMain.ts'), [], {
      execArgv: [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      ],
      stdio: ['ignore', log, log, 'ipc'],
    });
    fs.closeSync(log);
    const fleet = new ProxyFleet(child);
    try {
      const { ports } = await fleet.call({ type: 'start', targets, latencyMs });
      const urls = Object.fromEntries(
        Object.entries(ports as Record<string, number>).map(([name, port]) => [
          name,
          `https://127.0.0.1:${port}`,
        ]),
      );
      return { fleet, urls };
    } catch (e) {
      await fleet.stop();
      throw e;
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private call<K extends Message['type']>(
    message: WithoutId<Message> & { type: K },
  ): Promise<Replies[K]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: value => resolve(value as Replies[K]),
        reject,
      });
      this.child.send({ ...message, id });
    });
  }

  async counts(): Promise<Record<string, ProxyCounts>> {
    return (await this.call({ type: 'counts' })).counts;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise(resolve => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** Sums of the counts over all clusters. */
export function totalCounts(counts: Record<string, ProxyCounts>): {
  requests: number;
  watches: number;
  probes: number;
} {
  let requests = 0;
  let watches = 0;
  let probes = 0;
  for (const c of Object.values(counts)) {
    requests += c.requests;
    watches += c.watches;
    probes += c.probes;
  }
  return { requests, watches, probes };
}
