import { KubeObject } from '@gitops-promotion/backstage-plugin-common';
import { ClusterCache } from '../cache/ClusterCache';
import { OnDemandCalls } from './OnDemandCalls';
import { ObjectTarget } from './types';

const target = (name: string): ObjectTarget => ({
  kind: {
    kind: 'HelmRelease',
    group: 'helm.toolkit.fluxcd.io',
    plural: 'helmreleases',
  } as ObjectTarget['kind'],
  version: 'v2',
  namespace: 'apps',
  name,
});

/** A cluster whose single reads answer a 100 KB object each, counted. */
function cluster() {
  const gets: string[] = [];
  const cache = {
    store: { get: () => undefined },
    source: {
      name: 'staging-eu',
      get: async (t: ObjectTarget) => {
        gets.push(t.name);
        return {
          metadata: { name: t.name },
          spec: { values: { blob: 'x'.repeat(100_000) } },
        } as unknown as KubeObject;
      },
    },
  } as unknown as ClusterCache;
  return { gets, caches: new Map([['staging-eu', cache]]) };
}

/** How many answers the calls hold for the cluster. */
const held = (calls: OnDemandCalls) =>
  (
    calls as unknown as {
      clusters: Map<string, { entries: Map<string, unknown> }>;
    }
  ).clusters.get('staging-eu')?.entries.size ?? 0;

describe('OnDemandCalls', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('answers identical reads from one call for cacheMs, then lets the answers go', async () => {
    const { gets, caches } = cluster();
    const calls = new OnDemandCalls(caches, {
      concurrency: 4,
      maxQueued: 100,
      cacheMs: 5_000,
    });
    for (let i = 0; i < 300; i++)
      await calls.get('staging-eu', target(`r${i}`));
    await calls.get('staging-eu', target('r0'));
    expect(gets).toHaveLength(300);
    expect(held(calls)).toBe(300);

    // Expired, they are dropped: 30 MB of objects were kept until 500
    // other reads pushed them out.
    await jest.advanceTimersByTimeAsync(5_000);
    expect(held(calls)).toBe(0);
    await calls.get('staging-eu', target('r0'));
    expect(gets).toHaveLength(301);
  });
});
