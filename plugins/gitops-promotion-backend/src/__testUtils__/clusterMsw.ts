import { setupServer, SetupServer } from 'msw/node';
import { FakeKubeApi } from './FakeKubeApi';

/**
 * An msw server for a test that starts a Backstage test backend: the test's
 * own calls to the backend (127.0.0.1) pass, any other unhandled request is
 * an error.
 */
export function setupClusterMsw(): SetupServer {
  const server = setupServer();
  beforeAll(() =>
    server.listen({
      onUnhandledRequest: (req, print) => {
        if (new URL(req.url).hostname !== '127.0.0.1') print.error();
      },
    }),
  );
  afterAll(() => server.close());
  return server;
}

/**
 * Resolves once a cache has listed every kind and watches each: within 20 s,
 * as thousands of objects listed through msw take seconds on a loaded machine.
 */
export async function untilWatchingEveryKind(api: FakeKubeApi): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (api.openWatches().length < 7) {
    if (Date.now() > deadline) throw new Error('the cache did not sync');
    await new Promise(r => setTimeout(r, 10));
  }
}
