import net from 'node:net';
import { freePort, listenerPortRange } from './ports';

describe('listenerPortRange', () => {
  it('takes the stretch below the default Linux ephemeral range', () => {
    expect(listenerPortRange([32768, 60999])).toEqual([10000, 32767]);
  });

  it('takes the stretch above when the ephemeral range starts low', () => {
    expect(listenerPortRange([1024, 40000])).toEqual([40001, 65535]);
  });

  it('gives up when the ephemeral range leaves no room', () => {
    expect(listenerPortRange([1024, 65000])).toBeUndefined();
  });
});

describe('freePort', () => {
  it('hands out distinct ports outside the ephemeral range that a server can bind', async () => {
    const range = listenerPortRange()!;
    const ports = await Promise.all(Array.from({ length: 20 }, freePort));
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(range[0]);
      expect(port).toBeLessThanOrEqual(range[1]);
    }
    const server = net.createServer();
    await new Promise<void>(resolve =>
      server.listen(ports[0], '127.0.0.1', resolve),
    );
    await new Promise(resolve => server.close(resolve));
  });
});
