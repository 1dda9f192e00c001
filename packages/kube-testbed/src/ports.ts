import fs from 'node:fs';
import net from 'node:net';

/**
 * The kernel's range for the source ports of outgoing connections. A port in
 * it that was free a moment ago can be taken by any connect() (an apiserver's
 * own connections to etcd) before our server binds it; CI once lost a
 * kube-apiserver start to exactly that.
 */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = fs
      .readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low > 0 && high >= low) return [low, high];
  } catch {
    // Not Linux: assume the IANA range (macOS uses it).
  }
  return [49152, 65535];
}

/** The widest stretch of ports outside the ephemeral range and above 10000. */
export function listenerPortRange(
  [low, high]: [number, number] = ephemeralRange(),
): [number, number] | undefined {
  const below: [number, number] = [10000, Math.min(low - 1, 65535)];
  const above: [number, number] = [Math.max(high + 1, 10000), 65535];
  const [first, last] =
    below[1] - below[0] >= above[1] - above[0] ? below : above;
  return last - first >= 1000 ? [first, last] : undefined;
}

const handedOut = new Set<number>();

/** Binds `port` (0: any) on 127.0.0.1 and lets it go: the port bound, or undefined if taken. */
function listenOnce(port: number): Promise<number | undefined> {
  return new Promise(resolve => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A free TCP port on 127.0.0.1 for a server that another process will bind.
 * Chosen at random outside the ephemeral range, so between this check and
 * the bind only another listener could take it, and never handed out twice by
 * one process. Falls back to an OS-assigned port when the ephemeral range
 * leaves no room.
 */
export async function freePort(): Promise<number> {
  const range = listenerPortRange();
  if (range) {
    const [first, last] = range;
    for (let attempt = 0; attempt < 100; attempt++) {
      const port = first + Math.floor(Math.random() * (last - first + 1));
      if (handedOut.has(port)) continue;
      // Reserved before the check so concurrent callers skip it.
      handedOut.add(port);
      if ((await listenOnce(port)) !== undefined) return port;
      handedOut.delete(port);
    }
  }
  const assigned = await listenOnce(0);
  if (assigned === undefined) throw new Error('no free TCP port on 127.0.0.1');
  return assigned;
}
