import { ChainReaders } from './ChainReaders';

describe('ChainReaders', () => {
  it('knows which workloads read a namespace as their chains read it last', () => {
    const readers = new ChainReaders();
    readers.note('prod', 'apps/shop', ['apps', 'flux-system']);
    readers.note('prod', 'apps/cart', ['apps', 'flux-system']);
    expect([...readers.readersOf('prod', 'flux-system')]).toEqual([
      'apps/shop',
      'apps/cart',
    ]);
    // shop's source moved to its own namespace: flux-system no longer re-reads it.
    readers.note('prod', 'apps/shop', ['apps', 'apps']);
    expect([...readers.readersOf('prod', 'flux-system')]).toEqual([
      'apps/cart',
    ]);
    expect([...readers.readersOf('prod', 'apps')]).toEqual([
      'apps/cart',
      'apps/shop',
    ]);
    expect([...readers.readersOf('staging', 'apps')]).toEqual([]);
  });

  it('forgets a workload, and a cluster, wholly', () => {
    const readers = new ChainReaders();
    readers.note('prod', 'apps/shop', ['apps', 'flux-system']);
    readers.note('prod', 'apps/cart', ['apps']);
    readers.forget('prod', 'apps/shop');
    expect([...readers.readersOf('prod', 'flux-system')]).toEqual([]);
    expect([...readers.readersOf('prod', 'apps')]).toEqual(['apps/cart']);
    readers.forgetCluster('prod');
    expect([...readers.readersOf('prod', 'apps')]).toEqual([]);
    // Forgetting what is not there is no error.
    readers.forget('prod', 'apps/cart');
  });
});
