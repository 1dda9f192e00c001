import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';

/** A server process started by the testbed, its output going to a log file. */
export interface ManagedProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Settles when the process has exited (with its exit code or signal). */
  exited: Promise<string>;
  hasExited(): boolean;
}

const running = new Map<number, ChildProcess>();

/**
 * util-linux's setpriv (part of every Debian) execs the server with a
 * parent-death signal, so even a SIGKILL of this Node process, which no exit
 * hook sees, takes its servers with it. The pid stays the server's.
 */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find(p =>
  fs.existsSync(p),
);

/** The command line that runs `bin args` and ends it when its parent dies. */
function diesWithParent(
  bin: string,
  args: string[],
): { bin: string; args: string[] } {
  return SETPRIV
    ? { bin: SETPRIV, args: ['--pdeathsig', 'SIGKILL', '--', bin, ...args] }
    : { bin, args };
}

/**
 * Kills whatever is still running when this Node process goes away (test
 * failure, Ctrl-C, uncaught error), so no etcd or kube-apiserver outlives it.
 * A SIGKILL of Node itself is left to the parent-death signal; where setpriv
 * is missing, `cli.ts down` or the pids in its state file clean up.
 */
function installExitHooks() {
  const killAll = (signal: NodeJS.Signals) => {
    for (const pid of running.keys()) {
      signalProcess(pid, signal);
    }
  };
  process.once('exit', () => killAll('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      // Another handler (e.g. cli.ts up) stops things in order; the exit
      // hook still catches whatever is left when the process ends.
      if (process.listenerCount(signal) > 1) {
        return;
      }
      killAll('SIGTERM');
      process.removeListener(signal, onSignal);
      // Keep the signal's default meaning: terminate.
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
let hooksInstalled = false;

/**
 * Starts `bin args` in its own process group (so a Ctrl-C on the terminal
 * reaches the testbed, which then stops the apiserver before etcd), with
 * stdout and stderr appended to logFile; `env` is added to this process's
 * environment.
 */
export function spawnLogged(
  name: string,
  bin: string,
  args: string[],
  logFile: string,
  env?: Record<string, string>,
): ManagedProcess {
  if (!hooksInstalled) {
    installExitHooks();
    hooksInstalled = true;
  }
  const log = fs.openSync(logFile, 'a');
  const command = diesWithParent(bin, args);
  const child = spawn(command.bin, command.args, {
    stdio: ['ignore', log, log],
    detached: true,
    env: env && { ...process.env, ...env },
  });
  fs.closeSync(log);
  if (child.pid === undefined) {
    throw new Error(`kube-testbed: could not start ${name} (${bin})`);
  }
  const pid = child.pid;
  running.set(pid, child);
  let done = false;
  const exited = new Promise<string>(resolve => {
    const finish = (how: string) => {
      done = true;
      running.delete(pid);
      resolve(how);
    };
    child.once('exit', (code, signal) =>
      finish(signal ? `signal ${signal}` : `exit code ${code}`),
    );
    child.once('error', error => finish(error.message));
  });
  return { name, pid, logFile, exited, hasExited: () => done };
}

/** Sends a signal; a process that already exited is not an error. */
export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
      throw error;
    }
  }
}

/** SIGTERM, then SIGKILL after graceMs; resolves once the process is gone. */
export async function stopProcess(
  proc: ManagedProcess,
  graceMs = 10_000,
): Promise<void> {
  if (proc.hasExited()) {
    return;
  }
  signalProcess(proc.pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>(resolve => {
    timer = setTimeout(() => resolve(true), graceMs);
  });
  const killed = await Promise.race([proc.exited.then(() => false), timedOut]);
  clearTimeout(timer);
  if (killed) {
    signalProcess(proc.pid, 'SIGKILL');
    await proc.exited;
  }
}

/**
 * Waits until `probe` says the server answers (it returns undefined; else
 * what it saw), polling every `intervalMs`. Throws with the exit and the log's
 * tail if the process ends first, or stops it and throws after `timeoutMs`.
 */
export async function waitUntilServing(
  proc: ManagedProcess,
  probe: () => Promise<string | undefined>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.hasExited()) {
      throw new Error(
        `kube-testbed: ${
          proc.name
        } exited (${await proc.exited}) during startup; ${
          proc.logFile
        }:\n${logTail(proc.logFile)}`,
      );
    }
    let last: string | undefined;
    try {
      last = await probe();
      if (last === undefined) return;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) {
      await stopProcess(proc, 2000);
      throw new Error(
        `kube-testbed: ${
          proc.name
        } not ready after ${timeoutMs} ms (${last}); ${
          proc.logFile
        }:\n${logTail(proc.logFile)}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

/** The last lines of a log file, for error messages. */
export function logTail(logFile: string, lines = 25): string {
  try {
    const text = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
