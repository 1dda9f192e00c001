import { ChainReaders } from './ChainReaders';

describe('ChainReaders', () => {
  it('knows which workloads read a namespace as their chains read it last', () => {
    const readers = new ChainReaders();
    readers.note('prod', 'apps/shop', 'apps', ['apps', 'flux-system']);
    readers.note('prod', 'apps/cart', 'apps', ['apps', 'flux-system']);
    expect([...readers.readersOf('prod', 'flux-system')]).toEqual([
      'apps/shop',
      'apps/cart',
    ]);
    // shop's source moved to its own namespace: flux-system no longer re-reads it.
    readers.note('prod', 'apps/shop', 'apps', ['apps', 'apps']);
    expect([...readers.readersOf('prod', 'flux-system')]).toEqual([
      'apps/cart',
    ]);
    expect([...readers.readersOf('prod', 'apps')]).toEqual([
      'apps/cart',
      'apps/shop',
    ]);
    expect([...readers.readersOf('staging', 'apps')]).toEqual([]);
  });

  it('drops the workloads a walk of their namespace no longer finds, and only those', () => {
    const readers = new ChainReaders();
    readers.note('prod', 'pr-1/app', 'pr-1', ['pr-1', 'flux-system']);
    readers.note('prod', 'pr-2/app', 'pr-2', ['pr-2', 'flux-system']);
    readers.note('prod', 'apps/shop', 'apps', ['apps', 'flux-system']);
    // pr-1 was deleted: a walk of pr-1 (and of flux-system, whose readers
    // it re-read) finds no pr-1/app.
    expect(
      readers.keepFound(
        'prod',
        new Set(['pr-2/app', 'apps/shop']),
        new Set(['pr-1', 'flux-system']),
      ),
    ).toEqual(['pr-1/app']);
    expect([...readers.readersOf('prod', 'flux-system')]).toEqual([
      'pr-2/app',
      'apps/shop',
    ]);
    expect([...readers.readersOf('prod', 'pr-1')]).toEqual([]);
    // A walk of the whole cluster that finds only shop.
    expect(readers.keepFound('prod', new Set(['apps/shop']))).toEqual([
      'pr-2/app',
    ]);
    expect([...readers.readersOf('prod', 'flux-system')]).toEqual([
      'apps/shop',
    ]);
  });

  it('forgets a workload, and a cluster, wholly', () => {
    const readers = new ChainReaders();
    readers.note('prod', 'apps/shop', 'apps', ['apps', 'flux-system']);
    readers.note('prod', 'apps/cart', 'apps', ['apps']);
    readers.forget('prod', 'apps/shop');
    expect([...readers.readersOf('prod', 'flux-system')]).toEqual([]);
    expect([...readers.readersOf('prod', 'apps')]).toEqual(['apps/cart']);
    readers.forgetCluster('prod');
    expect([...readers.readersOf('prod', 'apps')]).toEqual([]);
    // Forgetting what is not there is no error.
    readers.forget('prod', 'apps/cart');
  });
});
