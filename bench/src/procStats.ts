import fs from 'node:fs';

/** Resident set size of a process in KiB (/proc/<pid>/status VmRSS), or undefined once it is gone. */
export function rssKiB(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Total and available memory of the machine in KiB (/proc/meminfo). */
export function memInfoKiB(): { total: number; available: number } {
  const text = fs.readFileSync('/proc/meminfo', 'utf8');
  const read = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { total: read('MemTotal'), available: read('MemAvailable') };
}

export const mib = (kib: number) => kib / 1024;

/** /proc/<pid>/smaps_rollup fields in KiB (Rss, Pss, Anonymous, ...), or {} once the process is gone. */
export function smapsRollupKiB(pid: number): Record<string, number> {
  try {
    const text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const out: Record<string, number> = {};
    for (const match of text.matchAll(/^(\w+):\s+(\d+) kB/gm)) {
      out[match[1]] = Number(match[2]);
    }
    return out;
  } catch {
    return {};
  }
}

/** CPU time (user + system) a process has used, in seconds, or 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The machine's CPU time so far, all cores, in clock ticks (/proc/stat). */
export interface CpuTicks {
  total: number;
  /** Time this VM was ready to run but the hypervisor ran another guest. */
  steal: number;
}

export function cpuTicks(): CpuTicks {
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice";
  // guest time is already counted in user and nice.
  const fields = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  return { total: fields.reduce((s, v) => s + v, 0), steal: fields[7] ?? 0 };
}

/**
 * The share of CPU time stolen by the hypervisor since `since`, in percent:
 * a figure measured while it is high was measured on a host other guests
 * shared, and compares only with runs of a like share.
 */
export function stealPercent(since: CpuTicks, until = cpuTicks()): number {
  const total = until.total - since.total;
  return total > 0 ? ((until.steal - since.steal) / total) * 100 : 0;
}
