import fs from 'node:fs';
import { ControlPlane } from './controlPlane';
import { signalProcess } from './processes';

/** The state letter of a process (/proc/<pid>/stat): R, S, T (stopped)... */
function processState(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": the comm may hold spaces and parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2)[0];
  } catch {
    return undefined;
  }
}

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`kube-testbed: ${what}`);
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

/**
 * Freezes a control plane's kube-apiserver as a hung server is frozen
 * (SIGSTOP): the kernel still accepts TCP connections, nothing answers
 * them. Resolves once the process is stopped; `resume()` (SIGCONT) must be
 * called before stop(), whose SIGTERM a stopped process would only act on
 * after its 10 s grace, as a SIGKILL.
 */
export async function freezeApiServer(
  cp: Pick<ControlPlane, 'name' | 'pids'>,
): Promise<{ resume(): Promise<void> }> {
  const pid = cp.pids.apiServer;
  signalProcess(pid, 'SIGSTOP');
  await until(
    () => processState(pid) === 'T',
    `kube-apiserver of ${cp.name} (pid ${pid}) did not stop`,
  );
  return {
    async resume() {
      signalProcess(pid, 'SIGCONT');
      await until(
        () => processState(pid) !== 'T',
        `kube-apiserver of ${cp.name} (pid ${pid}) did not resume`,
      );
    },
  };
}
