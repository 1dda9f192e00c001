import { changedKeys } from './changedKeys';

describe('changedKeys', () => {
  it('names the scalars that changed and the keys and items on one side only', () => {
    expect(
      changedKeys(
        {
          replicaCount: 2,
          image: { repository: 'r', tag: '1.0' },
          ingress: { enabled: true, hosts: ['a', 'b'] },
          onlyBefore: { deep: { x: 1 } },
          same: [1, { a: 2 }],
        },
        {
          replicaCount: 3,
          image: { repository: 'r', tag: '1.1' },
          ingress: { enabled: true, hosts: ['a'] },
          same: [1, { a: 2 }],
          onlyAfter: 'x',
        },
      ),
    ).toEqual([
      'replicaCount',
      'image.tag',
      'ingress.hosts[1]',
      'onlyBefore',
      'onlyAfter',
    ]);
  });

  it('compares a list with a map, and a value with null, as changed', () => {
    expect(changedKeys({ a: [1], b: null }, { a: { 0: 1 }, b: 0 })).toEqual([
      'a',
      'b',
    ]);
    expect(changedKeys({ a: 1 }, { a: 1 })).toEqual([]);
  });
});
