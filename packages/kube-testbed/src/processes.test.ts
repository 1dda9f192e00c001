import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signalProcess } from './processes';

/** Alive, and not a zombie waiting for a parent that does not reap it. */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function program(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
  } catch {
    return undefined;
  }
}

async function until(condition: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 50));
  }
  return condition();
}

// The owner is a Node process compiling TypeScript on the fly: seconds on a
// loaded machine, past Jest's default 5 s.
jest.setTimeout(30_000);

describe('spawnLogged', () => {
  let owner: ChildProcess | undefined;
  let serverPid: number | undefined;
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-testbed-processes-'));
  });

  afterEach(() => {
    owner?.kill('SIGKILL');
    if (serverPid) signalProcess(serverPid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes its servers down with a Node process killed by SIGKILL, which no exit hook sees', async () => {
    // A Node process like a Jest worker or `cli.ts up`: it starts a server
    // through spawnLogged, prints its pid, and waits to be killed.
    owner = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        '--eval',
        `const { spawnLogged } = require(${JSON.stringify(
          require.resolve('./processes'),
        )});
        const server = spawnLogged('sleep', '/bin/sleep', ['300'], ${JSON.stringify(
          path.join(dir, 'sleep.log'),
        )});
        console.log(server.pid);
        setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const pid = await new Promise<number>((resolve, reject) => {
      owner!.stdout!.once('data', data => resolve(Number(String(data).trim())));
      owner!.once('exit', code => reject(new Error(`owner exited: ${code}`)));
    });
    serverPid = pid;
    // The pid is the server's own (setpriv execs it): `cli.ts down` and
    // stopProcess signal it.
    await until(() => program(pid) === '/bin/sleep', 15_000);
    expect(program(pid)).toBe('/bin/sleep');
    expect(running(pid)).toBe(true);

    owner.kill('SIGKILL');

    expect(await until(() => !running(pid), 15_000)).toBe(true);
  });
});
