import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { FluxBinaries } from '../binaries';
import { freePort } from '../ports';
import {
  ManagedProcess,
  spawnLogged,
  stopProcess,
  waitUntilServing,
} from '../processes';
import { Credentials } from './helmRepository';

const run = promisify(execFile);

/**
 * Git repositories served over smart HTTP on 127.0.0.1 by Flux's own test
 * server (scripts/flux/gitserver: github.com/fluxcd/pkg/gittestserver).
 * Commits are made with the git CLI in a working copy and pushed to the
 * bare repository on disk, so they land whatever the server's state.
 */
export interface GitServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The clone URL of a repository: <url>/<name>.git */
  repositoryUrl(name: string): string;
  /** The credentials the server asks for now (undefined: none). */
  readonly credentials: Credentials | undefined;
  pid(): number | undefined;
  logFile: string;
  /**
   * Commits `files` to branch main of repository `name` (created on first
   * use): a path mapped to null is deleted, every other path is written.
   * Resolves to the commit's full SHA-1.
   */
  commit(
    name: string,
    files: Record<string, string | Buffer | null>,
    message: string,
  ): Promise<string>;
  /** Restarts the server asking for other credentials (undefined: none). */
  setCredentials(credentials: Credentials | undefined): Promise<void>;
  /** Stops the server: fetches get "connection refused" until start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
}

// No user or system git configuration: the same commits on every machine.
const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'kube-testbed',
  GIT_AUTHOR_EMAIL: 'kube-testbed@example.invalid',
  GIT_COMMITTER_NAME: 'kube-testbed',
  GIT_COMMITTER_EMAIL: 'kube-testbed@example.invalid',
};

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, {
      cwd,
      env: { ...process.env, ...GIT_ENV },
    });
    return stdout.trim();
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(
      `kube-testbed: git ${args.join(' ')} in ${cwd}: ${e.stderr || e.message}`,
    );
  }
}

const REPO_NAME = /^[a-z0-9][a-z0-9._-]*$/;

export async function startGitServer(options: {
  binaries: FluxBinaries;
  dir: string;
  credentials?: Credentials;
  timeoutMs?: number;
}): Promise<GitServer> {
  const dir = path.resolve(options.dir);
  const root = path.join(dir, 'repositories');
  const work = path.join(dir, 'work');
  fs.mkdirSync(root, { recursive: true });
  fs.mkdirSync(work, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(dir, 'gitserver.log');
  let credentials = options.credentials;
  let proc: ManagedProcess | undefined;

  const start = async () => {
    if (proc && !proc.hasExited()) return;
    proc = spawnLogged(
      'gitserver',
      options.binaries.gitServer,
      [`-root=${root}`, `-httptest.serve=127.0.0.1:${port}`],
      logFile,
      credentials
        ? {
            GITSERVER_USERNAME: credentials.username,
            GITSERVER_PASSWORD: credentials.password,
          }
        : {},
    );
    await waitUntilServing(
      proc,
      async () => {
        await fetch(`${url}/`);
        return undefined;
      },
      options.timeoutMs ?? 30_000,
      50,
    );
  };
  const stop = async () => {
    if (proc) await stopProcess(proc, 5000);
  };
  await start();

  // One commit at a time per repository: git's index is not shared safely.
  const queues = new Map<string, Promise<unknown>>();
  const commit = async (
    name: string,
    files: Record<string, string | Buffer | null>,
    message: string,
  ) => {
    if (!REPO_NAME.test(name)) {
      throw new Error(`kube-testbed: invalid repository name "${name}"`);
    }
    const bare = path.join(root, `${name}.git`);
    const checkout = path.join(work, name);
    if (!fs.existsSync(bare)) {
      await git(dir, [
        'init',
        '--quiet',
        '--bare',
        '--initial-branch=main',
        bare,
      ]);
      await git(dir, ['init', '--quiet', '--initial-branch=main', checkout]);
      await git(checkout, ['remote', 'add', 'origin', bare]);
    }
    for (const [file, content] of Object.entries(files)) {
      const target = path.join(checkout, file);
      if (!target.startsWith(`${checkout}${path.sep}`)) {
        throw new Error(`kube-testbed: ${file} is outside the repository`);
      }
      if (content === null) {
        fs.rmSync(target, { recursive: true, force: true });
      } else {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
      }
    }
    await git(checkout, ['add', '--all']);
    await git(checkout, ['commit', '--quiet', '--allow-empty', '-m', message]);
    await git(checkout, ['push', '--quiet', 'origin', 'main']);
    return git(checkout, ['rev-parse', 'HEAD']);
  };

  return {
    url,
    repositoryUrl: name => `${url}/${name}.git`,
    get credentials() {
      return credentials;
    },
    pid: () => (proc && !proc.hasExited() ? proc.pid : undefined),
    logFile,
    commit(name, files, message) {
      const next = (queues.get(name) ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => commit(name, files, message));
      queues.set(name, next);
      return next;
    },
    async setCredentials(next) {
      credentials = next;
      await stop();
      await start();
    },
    stop,
    start,
  };
}
