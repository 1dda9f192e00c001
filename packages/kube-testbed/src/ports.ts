import net from 'node:net';

/**
 * Asks the OS for a free TCP port on 127.0.0.1. The port is released before
 * the caller binds it, so a clash is possible but unlikely (the kernel does
 * not hand out the same ephemeral port again right away).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
