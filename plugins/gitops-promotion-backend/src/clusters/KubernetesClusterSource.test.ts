import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { KINDS } from '@gitops-promotion/backstage-plugin-common/server';
import { demoObjects } from '../__testUtils__/demoObjects';
import {
  KubernetesClusterSource,
  MAX_WATCH_EVENT_BYTES,
} from './KubernetesClusterSource';
import { ClusterRequestError, WatchEvent } from './types';

const REQUEST_TIMEOUT_MS = 2000;

/**
 * A watch endpoint on a real local socket (msw cannot tell a client that
 * gave up from one that still listens): it holds each response until
 * `release()`, as a hung server or a proxy holding the headers would, then
 * streams what `send` writes; it records when the client closed a request.
 */
async function watchEndpoint(options: { hold: boolean }) {
  const requests: Array<{ url: string; closed: boolean }> = [];
  const open = new Set<http.ServerResponse>();
  let release!: () => void;
  const released = new Promise<void>(resolve => {
    release = resolve;
  });
  const server = http.createServer(async (req, res) => {
    const entry = { url: req.url!, closed: false };
    requests.push(entry);
    res.on('close', () => {
      entry.closed = true;
      open.delete(res);
    });
    if (options.hold) await released;
    if (entry.closed) return;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    open.add(res);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    release,
    send(event: object) {
      for (const res of open) res.write(`${JSON.stringify(event)}\n`);
    },
    /** Writes `text` to every open watch, waiting until the socket takes it. */
    async sendRaw(text: string) {
      await Promise.all(
        [...open].map(
          res =>
            new Promise<void>(resolve => {
              if (res.write(text) || res.writableEnded) resolve();
              else res.once('drain', resolve).once('close', resolve);
            }),
        ),
      );
    },
    async close() {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  };
}

const endpoints: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  jest.useRealTimers();
  jest.restoreAllMocks();
  await Promise.all(endpoints.splice(0).map(e => e.close()));
});

async function watching(options: {
  hold: boolean;
  onEvent?: (event: WatchEvent) => void;
}) {
  const endpoint = await watchEndpoint(options);
  endpoints.push(endpoint);
  const source = new KubernetesClusterSource(
    // Plain HTTP, as through kubectl proxy.
    { name: 'staging-eu', url: endpoint.url, authMetadata: {} },
    async () => ({ type: 'bearer token', token: 'reader-token' }),
    { requestTimeoutMs: REQUEST_TIMEOUT_MS },
    mockServices.logger.mock(),
  );
  const events: WatchEvent[] = [];
  const handle = source.watch(KINDS.HelmRelease, 'v2', '100', e => {
    events.push(e);
    options.onEvent?.(e);
  });
  const outcome: { type?: string; error?: Error } = {};
  handle.done.then(
    () => {
      outcome.type = 'ended';
    },
    (e: ClusterRequestError) => {
      outcome.type = e.type;
      outcome.error = e;
    },
  );
  return { endpoint, handle, events, outcome };
}

const modified = () => ({
  type: 'MODIFIED',
  object: {
    ...structuredClone(
      demoObjects('staging-eu')
        .get('HelmRelease')!
        .find(o => o.metadata.name === 'ledger')!,
    ),
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
  },
});
/** As kube-apiserver sends one: the watched kind, only a resourceVersion. */
const bookmark = (resourceVersion: string) => ({
  type: 'BOOKMARK',
  object: {
    kind: 'HelmRelease',
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    metadata: { resourceVersion, creationTimestamp: null },
  },
});

/**
 * Waits, in real time while timers are fake, until `check` holds or
 * `maxMs` passed: sockets and streams move on their own clock.
 */
async function realWait(check: () => boolean, maxMs = 3000) {
  const started = process.hrtime.bigint();
  while (!check() && Number(process.hrtime.bigint() - started) / 1e6 < maxMs) {
    await new Promise(resolve => setImmediate(resolve));
  }
}

describe('KubernetesClusterSource.watch', () => {
  beforeEach(() => {
    // timeoutSeconds 240: the idle watchdog fires 300 s after the last event.
    jest.spyOn(Math, 'random').mockReturnValue(0);
    jest.useFakeTimers({
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'hrtime'],
      advanceTimers: false,
    });
  });

  it('gives up a watch whose response does not come, aborts it, and drops what it delivers later', async () => {
    const { endpoint, events, outcome } = await watching({ hold: true });
    await jest.advanceTimersByTimeAsync(0);
    await realWait(() => endpoint.requests.length === 1);

    // Past every timer the watch has (request timeout and idle watchdog).
    await jest.advanceTimersByTimeAsync(301_000);
    expect(outcome.type).toBe('TIMEOUT');
    await realWait(() => endpoint.requests[0].closed);
    expect(endpoint.requests[0].closed).toBe(true);

    // The response comes at last; the cache has moved on to a new watch.
    endpoint.release();
    endpoint.send(modified());
    endpoint.send(bookmark('101'));
    await realWait(() => events.length > 0, 300);
    expect(events).toEqual([]);
  });

  it('fails a watch whose headers do not come within the request timeout', async () => {
    const { endpoint, outcome } = await watching({ hold: true });
    await jest.advanceTimersByTimeAsync(0);
    await realWait(() => endpoint.requests.length === 1);
    await jest.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS - 1);
    expect(outcome.type).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(outcome.type).toBe('TIMEOUT');
    await realWait(() => endpoint.requests[0].closed);
    expect(endpoint.requests[0].closed).toBe(true);
  });

  it('aborts a watch that went silent past its timeout, and delivers nothing after', async () => {
    const { endpoint, events, outcome } = await watching({ hold: false });
    await jest.advanceTimersByTimeAsync(0);
    await realWait(() => endpoint.requests.length === 1);
    endpoint.send(bookmark('101'));
    await realWait(() => events.length === 1);
    expect(events.map(e => e.type)).toEqual(['BOOKMARK']);

    // An event re-arms the watchdog: 300 s of silence from the bookmark on.
    await jest.advanceTimersByTimeAsync(299_000);
    expect(outcome.type).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(outcome.type).toBe('TIMEOUT');
    await realWait(() => endpoint.requests[0].closed);
    expect(endpoint.requests[0].closed).toBe(true);
    endpoint.send(modified());
    await realWait(() => events.length > 1, 300);
    expect(events).toHaveLength(1);
  });

  it('ends the watch with the error when an event cannot be taken, instead of losing it', async () => {
    const { endpoint, events, outcome } = await watching({
      hold: false,
      onEvent: () => {
        throw new Error('the index refused the object');
      },
    });
    await jest.advanceTimersByTimeAsync(0);
    await realWait(() => endpoint.requests.length === 1);
    endpoint.send(modified());
    await realWait(() => outcome.error !== undefined);
    // Typed for the view; the cause goes to the log.
    expect(outcome.error?.message).toBe(
      "Request watch helmreleases.helm.toolkit.fluxcd.io/v2 to cluster staging-eu failed; the backend's log has the cause.",
    );
    await realWait(() => endpoint.requests[0].closed);
    expect(endpoint.requests[0].closed).toBe(true);
    endpoint.send(modified());
    await realWait(() => events.length > 1, 300);
    expect(events).toHaveLength(1);
  });

  it('ends a watch whose server sends more than 16 MiB without a whole event, instead of holding it all', async () => {
    const { endpoint, events, outcome } = await watching({ hold: false });
    await jest.advanceTimersByTimeAsync(0);
    await realWait(() => endpoint.requests.length === 1);
    // Events up to the bound's size each are taken: the count starts again at each.
    const mib = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 3; i++) {
      const event = modified();
      event.object.metadata.annotations = { padding: mib.repeat(10) };
      endpoint.send(event);
      await realWait(() => events.length === i + 1);
    }
    expect(events).toHaveLength(3);
    expect(outcome.type).toBeUndefined();

    // Then bytes without a newline: client-node's line reader would keep
    // them all until the idle watchdog, minutes later.
    for (let sent = 0; sent < 24 && !outcome.type; sent++) {
      await endpoint.sendRaw(mib);
      await realWait(() => outcome.type !== undefined, 20);
    }
    await realWait(() => outcome.type !== undefined);
    expect(outcome.error?.message).toBe(
      `Cluster staging-eu: watch helmreleases.helm.toolkit.fluxcd.io/v2 sent more than ${
        MAX_WATCH_EVENT_BYTES / 1024 / 1024
      } MiB without a whole event (an object is at most a few MiB); check what answers for the API server.`,
    );
    await realWait(() => endpoint.requests[0].closed);
    expect(endpoint.requests[0].closed).toBe(true);
  });

  it('sends nothing for a watch stopped before it went out', async () => {
    const { endpoint, handle, outcome } = await watching({ hold: false });
    handle.stop();
    await jest.advanceTimersByTimeAsync(0);
    await realWait(() => endpoint.requests.length > 0, 300);
    expect(outcome.type).toBe('ended');
    expect(endpoint.requests).toEqual([]);
  });
});

describe('KubernetesClusterSource credentials', () => {
  it('gives up on a strategy that gives no credentials within the request timeout, saying what to check', async () => {
    const endpoint = await watchEndpoint({ hold: false });
    endpoints.push(endpoint);
    const source = new KubernetesClusterSource(
      {
        name: 'prod-eu',
        url: endpoint.url,
        authMetadata: { 'kubernetes.io/auth-provider': 'aws' },
      },
      // An identity provider out of reach: the strategy never answers.
      () => new Promise(() => {}),
      { requestTimeoutMs: 200 },
      mockServices.logger.mock(),
    );
    await expect(source.probe()).rejects.toMatchObject({
      type: 'TIMEOUT',
      message:
        'Cluster prod-eu: the aws strategy gave no credentials within 0.2 s; check that the backend reaches its identity provider',
    });
    expect(endpoint.requests).toEqual([]);
  });
});

/** A server on 127.0.0.1 that records the paths asked and answers each with `answer`. */
async function recordingServer(
  answer: (res: http.ServerResponse) => void,
): Promise<{ port: number; paths: string[] }> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url!);
    answer(res);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  endpoints.push({
    async close() {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  });
  return { port: (server.address() as AddressInfo).port, paths };
}

describe('KubernetesClusterSource connections', () => {
  const helmRelease = {
    kind: KINDS.HelmRelease,
    version: 'v2',
    namespace: 'team-a',
    name: 'ledger',
  };

  it('does not follow a redirect away from the cluster, for requests and watches alike', async () => {
    // The backend's own network, which a hostile API server (or a catalog
    // entity's URL) points it at.
    const internal = await recordingServer(res => res.end('{}'));
    const cluster = await recordingServer(res => {
      res.writeHead(302, {
        Location: `http://127.0.0.1:${internal.port}/internal/secrets`,
      });
      res.end();
    });
    const source = new KubernetesClusterSource(
      // By name: the redirect names another host.
      {
        name: 'prod-eu',
        url: `http://localhost:${cluster.port}`,
        authMetadata: {},
      },
      async () => ({ type: 'bearer token', token: 'reader-token' }),
      { requestTimeoutMs: REQUEST_TIMEOUT_MS },
      mockServices.logger.mock(),
    );
    const refusal = {
      type: 'UNREACHABLE',
      message: expect.stringContaining(
        'Cluster prod-eu redirected get helmreleases.helm.toolkit.fluxcd.io/v2 team-a/ledger to another host, which the backend does not follow',
      ),
    };
    await expect(source.get(helmRelease)).rejects.toMatchObject(refusal);
    await expect(
      source.watch(KINDS.HelmRelease, 'v2', '100', () => {}).done,
    ).rejects.toMatchObject({
      type: 'UNREACHABLE',
      message: expect.stringContaining('to another host'),
    });
    expect(cluster.paths).toHaveLength(2);
    expect(internal.paths).toEqual([]);
    source.close();
  });

  it('refuses, when connecting, an address that is not public for a catalog cluster whose host is not exempt', async () => {
    const server = await recordingServer(res => res.end('{}'));
    const source = new KubernetesClusterSource(
      // Checked when the URL was read; the name resolves to the loopback now.
      {
        name: 'prod-eu',
        url: `http://localhost:${server.port}`,
        authMetadata: {},
      },
      async () => ({ type: 'bearer token', token: 'reader-token' }),
      { requestTimeoutMs: REQUEST_TIMEOUT_MS, publicOnly: true },
      mockServices.logger.mock(),
    );
    const refusal = {
      type: 'UNREACHABLE',
      message:
        "Cluster prod-eu's host now resolves to a non-public address, which a catalog cluster may not use: kubernetes.clusterLocatorMethods[].dangerouslyAllowClusterUrls can exempt its host.",
    };
    await expect(source.get(helmRelease)).rejects.toMatchObject(refusal);
    await expect(
      source.watch(KINDS.HelmRelease, 'v2', '100', () => {}).done,
    ).rejects.toMatchObject(refusal);
    expect(server.paths).toEqual([]);
    source.close();
  });
});
