import http from 'node:http';
import YAML from 'yaml';
import { freePort } from '../ports';
import { ChartArchive } from './archives';

/** Basic-auth credentials a source server asks for. */
export interface Credentials {
  username: string;
  password: string;
}

/**
 * Static Helm repositories over HTTP on 127.0.0.1, as a chart museum or a
 * GitHub Pages site serves one: `<path>/index.yaml` listing the charts and
 * the `.tgz` archives beside it. Several repositories live under one server
 * (one path each), each with or without basic auth. Credentials and the
 * server itself can be switched while controllers fetch from it.
 */
export interface HelmRepositoryServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The URL of the repository at `repoPath` (what a HelmRepository's spec.url says). */
  repositoryUrl(repoPath: string): string;
  /**
   * Adds (or replaces) a chart version in a repository; index.yaml follows
   * at once. Returns false when that exact archive was there already.
   */
  publish(repoPath: string, chart: ChartArchive): boolean;
  /** Requires these credentials for a repository from now on; undefined serves everyone. */
  setCredentials(repoPath: string, credentials: Credentials | undefined): void;
  /** Stops listening (clients get "connection refused") until start(). */
  stop(): Promise<void>;
  /** Listens again, on the same port. */
  start(): Promise<void>;
  readonly running: boolean;
}

interface Repository {
  charts: Map<string, ChartArchive>;
  generated: string;
  credentials?: Credentials;
}

const normalise = (repoPath: string) => repoPath.replace(/^\/+|\/+$/g, '');

/** Starts the server, with no repositories yet. */
export async function startHelmRepositoryServer(): Promise<HelmRepositoryServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const repositories = new Map<string, Repository>();
  const repository = (repoPath: string) => {
    const key = normalise(repoPath);
    let repo = repositories.get(key);
    if (!repo) {
      repo = { charts: new Map(), generated: new Date().toISOString() };
      repositories.set(key, repo);
    }
    return repo;
  };

  const index = (repoPath: string, repo: Repository) => {
    const entries: Record<string, unknown[]> = {};
    const charts = [...repo.charts.values()].sort((a, b) =>
      a.name === b.name
        ? b.version.localeCompare(a.version, undefined, { numeric: true })
        : a.name.localeCompare(b.name),
    );
    for (const chart of charts) {
      (entries[chart.name] ??= []).push({
        apiVersion: 'v2',
        name: chart.name,
        version: chart.version,
        appVersion: chart.appVersion,
        type: 'application',
        created: repo.generated,
        digest: chart.digest,
        urls: [`${url}/${repoPath}/${chart.fileName}`],
      });
    }
    return YAML.stringify({
      apiVersion: 'v1',
      entries,
      generated: repo.generated,
    });
  };

  const authorised = (
    req: http.IncomingMessage,
    credentials: Credentials | undefined,
  ) => {
    if (!credentials) return true;
    const expected = `Basic ${Buffer.from(
      `${credentials.username}:${credentials.password}`,
    ).toString('base64')}`;
    return req.headers.authorization === expected;
  };

  const handler: http.RequestListener = (req, res) => {
    const requested = normalise(new URL(req.url ?? '/', url).pathname);
    const slash = requested.lastIndexOf('/');
    const repoPath = requested.slice(0, Math.max(slash, 0));
    const file = requested.slice(slash + 1);
    const repo = repositories.get(repoPath);
    if (!authorised(req, repo?.credentials)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="helm"' });
      res.end('401 Unauthorized\n');
      return;
    }
    const chart =
      repo && [...repo.charts.values()].find(c => c.fileName === file);
    if (repo && file === 'index.yaml') {
      res.writeHead(200, { 'Content-Type': 'application/x-yaml' });
      res.end(index(repoPath, repo));
    } else if (chart) {
      res.writeHead(200, { 'Content-Type': 'application/gzip' });
      res.end(chart.data);
    } else {
      res.writeHead(404);
      res.end('404 Not Found\n');
    }
  };

  let server: http.Server | undefined;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      if (server) {
        resolve();
        return;
      }
      const next = http.createServer(handler);
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        server = next;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>(resolve => {
      const current = server;
      server = undefined;
      if (!current) {
        resolve();
        return;
      }
      current.close(() => resolve());
      // Keep-alive connections of the controllers would hold close() open.
      current.closeAllConnections();
    });
  await start();

  return {
    url,
    repositoryUrl: repoPath => `${url}/${normalise(repoPath)}`,
    publish(repoPath, chart) {
      const repo = repository(repoPath);
      const key = `${chart.name}-${chart.version}`;
      if (repo.charts.get(key)?.digest === chart.digest) return false;
      repo.charts.set(key, chart);
      repo.generated = new Date().toISOString();
      return true;
    },
    setCredentials(repoPath, credentials) {
      repository(repoPath).credentials = credentials;
    },
    stop,
    start,
    get running() {
      return server !== undefined;
    },
  };
}
