import net from 'node:net';

/**
 * A TCP proxy in front of an API server, as a load balancer stands in front
 * of a real one: TLS passes through (the server's certificate for 127.0.0.1
 * stays valid), and `resetAll()` resets every connection it carries, as a
 * load balancer's idle timeout does (RST to the client).
 */
export async function startTcpProxy(target: string): Promise<{
  url: string;
  resetAll(): number;
  close(): Promise<void>;
}> {
  const { hostname, port } = new URL(target);
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  const server = net.createServer(client => {
    const upstream = net.connect(Number(port), hostname);
    const pair = { client, upstream };
    pairs.add(pair);
    client.pipe(upstream).pipe(client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port: proxyPort } = server.address() as net.AddressInfo;
  return {
    url: `https://127.0.0.1:${proxyPort}`,
    resetAll() {
      const count = pairs.size;
      for (const { client, upstream } of [...pairs]) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      return count;
    },
    async close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise(resolve => server.close(resolve));
    },
  };
}
