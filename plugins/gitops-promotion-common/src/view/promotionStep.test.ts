import { ClusterCell } from '../types/view';
import { aggregateEnvironment } from './aggregateEnvironment';
import { promotionStep } from './promotionStep';
import { compareVersions, sortVersionsDesc } from './versions';

function cell(cluster: string, over: Partial<ClusterCell> = {}): ClusterCell {
  return {
    cluster,
    namespace: 'apps',
    state: 'Ready',
    history: [],
    chain: [],
    ...over,
  };
}

describe('versions', () => {
  it.each([
    ['2.4.0', '2.3.0', 1],
    ['6.7.1-p01', '6.7.1-p02', -1],
    // KuboCD package revisions by number, not as text.
    ['6.7.1-p9', '6.7.1-p10', -1],
    ['6.7.1-p100', '6.7.1-p99', 1],
    ['6.7.2-p1', '6.7.1-p10', 1],
    ['v1.2.3', '1.2.3', 0],
    ['1.10.0', '1.9.0', 1],
    ['main@06a5a13', 'main@4b1d2c3', undefined],
    // Git tags order by the tag, beside the commit the display keeps.
    ['v1.3.0@06a5a13', 'v1.2.0@4b1d2c3', 1],
    ['refs/tags/v1.2.0@06a5a13', 'v1.10.0@4b1d2c3', -1],
    ['v1.3.0@06a5a13', 'v1.3.0@4b1d2c3', undefined],
    // Another build of one chart version (helm-controller appends an OCI
    // artifact's digest): not ordered, and not the same.
    ['1.4.0+2196f4d96851', '1.4.0+9c0e1d2a3b4c', undefined],
    ['1.4.1+2196f4d96851', '1.4.0+9c0e1d2a3b4c', 1],
  ])('compares %s with %s', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });

  it('sorts newest first, unorderable versions last', () => {
    expect(
      sortVersionsDesc(['1.0.0', 'main@abc1234', '1.2.0', '1.0.0']),
    ).toEqual(['1.2.0', '1.0.0', 'main@abc1234']);
  });
});

describe('aggregateEnvironment', () => {
  it('takes the worst state, counts ready clusters and marks mixed versions', () => {
    const env = aggregateEnvironment(
      'production',
      [
        cell('prod-eu', {
          version: '6.7.1-p01',
          since: '2026-11-10T00:00:00Z',
        }),
        cell('prod-us', {
          version: '6.6.3-p01',
          state: 'Failed',
          since: '2026-11-20T00:00:00Z',
        }),
        cell('prod-ap', { version: '6.7.1-p01', state: 'Progressing' }),
      ],
      ['prod-cn'],
      ['prod-sa'],
    );
    expect(env).toMatchObject({
      state: 'Failed',
      since: '2026-11-20T00:00:00Z',
      readyClusters: 1,
      totalClusters: 3,
      versions: ['6.7.1-p01', '6.6.3-p01'],
      mixedVersions: true,
      version: '6.6.3-p01',
      notDeployedIn: ['prod-cn'],
      unavailableIn: ['prod-sa'],
    });
  });

  it('dates a Ready environment from the last cluster to become ready', () => {
    const env = aggregateEnvironment(
      'staging',
      [
        cell('a', { since: '2026-11-01T00:00:00Z' }),
        cell('b', { since: '2026-11-05T00:00:00Z' }),
      ],
      [],
      [],
    );
    expect(env.since).toBe('2026-11-05T00:00:00Z');
  });

  it('is NotDeployed when no cluster runs the workload', () => {
    expect(aggregateEnvironment('sandbox', [], ['a'], []).state).toBe(
      'NotDeployed',
    );
  });

  it('keeps a config digest only when every cluster shares it', () => {
    expect(
      aggregateEnvironment(
        'p',
        [cell('a', { configDigest: 'x' }), cell('b', { configDigest: 'x' })],
        [],
        [],
      ).configDigest,
    ).toBe('x');
    expect(
      aggregateEnvironment(
        'p',
        [cell('a', { configDigest: 'x' }), cell('b', { configDigest: 'y' })],
        [],
        [],
      ).configDigest,
    ).toBeUndefined();
  });
});

describe('promotionStep', () => {
  const env = (name: string, cells: ClusterCell[]) =>
    aggregateEnvironment(name, cells, [], []);

  it('counts a downstream two versions behind using the versions known in the row', () => {
    const staging = env('staging', [
      cell('s', { version: '2.3.0', history: ['2.3.0', '2.2.0', '2.1.0'] }),
    ]);
    const prod = env('production', [cell('p', { version: '2.1.0' })]);
    expect(
      promotionStep(staging, prod, ['2.4.0', '2.3.0', '2.2.0', '2.1.0']),
    ).toEqual({
      from: 'staging',
      to: 'production',
      relation: 'behind',
      behindBy: 2,
      fromVersion: '2.3.0',
      toVersion: '2.1.0',
    });
  });

  it('counts at least one version behind when no intermediate is known', () => {
    const dev = env('development', [cell('d', { version: '6.7.1-p02' })]);
    const staging = env('staging', [cell('s', { version: '6.7.1-p01' })]);
    expect(promotionStep(dev, staging, [])).toMatchObject({
      relation: 'behind',
      behindBy: 1,
    });
  });

  it('tells equal, ahead and same version with other values apart', () => {
    const a = env('a', [
      cell('a', { version: '1.0.0', configDigest: 'sha256:1' }),
    ]);
    expect(
      promotionStep(
        a,
        env('b', [cell('b', { version: '1.0.0', configDigest: 'sha256:1' })]),
        [],
      ).relation,
    ).toBe('equal');
    expect(
      promotionStep(
        a,
        env('b', [cell('b', { version: '1.0.0', configDigest: 'sha256:2' })]),
        [],
      ).relation,
    ).toBe('values-differ');
    expect(
      promotionStep(a, env('b', [cell('b', { version: '1.1.0' })]), [])
        .relation,
    ).toBe('ahead');
    expect(
      promotionStep(a, env('b', [cell('b', { version: '1.0.0' })]), [])
        .relation,
    ).toBe('equal');
  });

  it('calls values different when one of several downstream clusters runs values no upstream cluster runs', () => {
    const staging = env('staging', [
      cell('s', { version: '1.0.0', configDigest: 'sha256:aaa' }),
    ]);
    const production = (us: string) =>
      env('production', [
        cell('eu', { version: '1.0.0', configDigest: 'sha256:aaa' }),
        cell('us', { version: '1.0.0', configDigest: us }),
      ]);
    expect(promotionStep(staging, production('sha256:bbb'), []).relation).toBe(
      'values-differ',
    );
    expect(promotionStep(staging, production('sha256:aaa'), []).relation).toBe(
      'equal',
    );
  });

  it('does not call values different when the digests were hashed differently', () => {
    // helm-controller v2 writes sha256 config digests; v2beta1 bare sha1 checksums.
    const v2 = env('a', [
      cell('a', {
        version: '1.0.0',
        configDigest:
          'sha256:0ad7a2f2a5ab4b6b4d1e3c1b57d4bbf1b8a2e4a9e7b1a3d0c9f8e7d6c5b4a392',
      }),
    ]);
    const beta = (checksum: string) =>
      env('b', [cell('b', { version: '1.0.0', configDigest: checksum })]);
    expect(
      promotionStep(v2, beta('c31bbb08c7d1e4d5e3f0c9a1b2d3e4f5a6b7c8d9'), [])
        .relation,
    ).toBe('equal');
    expect(
      promotionStep(
        env('a', [
          cell('a', {
            version: '1.0.0',
            configDigest: 'c31bbb08c7d1e4d5e3f0c9a1b2d3e4f5a6b7c8d9',
          }),
        ]),
        beta('d41d8cd98f00b204e9800998ecf8427e0a1b2c3d'),
        [],
      ).relation,
    ).toBe('values-differ');
  });

  it("does not compare the backend's digest of spec values with a controller's config digest", () => {
    // Before helm-controller reports a digest, the cell carries the backend's
    // hash of the spec, serialized differently from the controller's.
    const reported = env('a', [
      cell('a', { version: '1.0.0', configDigest: `sha256:${'1'.repeat(64)}` }),
    ]);
    const fromSpec = (hex: string) =>
      env('b', [
        cell('b', {
          version: '1.0.0',
          configDigest: `spec-sha256:${hex.repeat(64)}`,
        }),
      ]);
    expect(promotionStep(reported, fromSpec('1'), []).relation).toBe('equal');
    expect(
      promotionStep(
        env('a', [
          cell('a', {
            version: '1.0.0',
            configDigest: `spec-sha256:${'2'.repeat(64)}`,
          }),
        ]),
        fromSpec('1'),
        [],
      ).relation,
    ).toBe('values-differ');
  });

  it('sees a pending promotion between git tags', () => {
    const staging = env('staging', [cell('s', { version: 'v1.3.0@06a5a13' })]);
    const prod = env('production', [cell('p', { version: 'v1.2.0@4b1d2c3' })]);
    expect(promotionStep(staging, prod, []).relation).toBe('behind');
  });

  it('tells apart two builds of one chart version, across environments and within one', () => {
    const dev = env('development', [
      cell('d', { version: '1.4.0+2196f4d96851' }),
    ]);
    const staging = env('staging', [
      cell('s', { version: '1.4.0+9c0e1d2a3b4c' }),
    ]);
    expect(promotionStep(dev, staging, []).relation).toBe('differs');
    expect(
      env('production', [
        cell('eu', { version: '1.4.0+2196f4d96851' }),
        cell('us', { version: '1.4.0+9c0e1d2a3b4c' }),
      ]).mixedVersions,
    ).toBe(true);
  });

  it('cannot order two git revisions', () => {
    const a = env('a', [cell('a', { version: 'main@06a5a13' })]);
    const b = env('b', [cell('b', { version: 'main@4b1d2c3' })]);
    expect(promotionStep(a, b, []).relation).toBe('differs');
  });

  it('sees a git revision that differs in one cluster of a mixed environment', () => {
    const staging = env('staging', [cell('s', { version: 'main@5a872ef' })]);
    const prod = env('production', [
      cell('eu', { version: 'main@f78c39f' }),
      cell('us', { version: 'main@5a872ef' }),
    ]);
    expect(promotionStep(staging, prod, []).relation).toBe('differs');
  });

  it('compares the version being installed where nothing runs yet', () => {
    const sandbox = env('sandbox', [cell('a', { version: '1.8.0' })]);
    const dev = env('development', [
      cell('d', { state: 'Failed', targetVersion: '1.8.0' }),
    ]);
    const staging = env('staging', [cell('s', { version: '1.7.2' })]);
    expect(dev).toMatchObject({ version: undefined, targetVersion: '1.8.0' });
    expect(promotionStep(sandbox, dev, []).relation).toBe('equal');
    expect(promotionStep(dev, staging, ['1.8.0', '1.7.2'])).toMatchObject({
      relation: 'behind',
      behindBy: 1,
      fromVersion: '1.8.0',
    });
  });

  it('is ahead only when every downstream cluster is newer', () => {
    const a = env('a', [cell('a', { version: '1.0.0' })]);
    const mixed = env('b', [
      cell('b1', { version: '1.1.0' }),
      cell('b2', { version: '1.0.0' }),
    ]);
    expect(promotionStep(a, mixed, []).relation).toBe('differs');
  });

  it('says when one side does not run the workload', () => {
    const a = env('a', [cell('a', { version: '1.0.0' })]);
    expect(promotionStep(a, env('b', []), []).relation).toBe('not-deployed');
  });

  it('compares the oldest version of an environment with mixed versions', () => {
    const staging = env('staging', [cell('s', { version: '6.7.1-p01' })]);
    const prod = env('production', [
      cell('eu', { version: '6.7.1-p01' }),
      cell('us', { version: '6.6.3-p01' }),
    ]);
    expect(
      promotionStep(staging, prod, ['6.7.1-p01', '6.6.3-p01']),
    ).toMatchObject({
      relation: 'behind',
      behindBy: 1,
      toVersion: '6.6.3-p01',
    });
  });
});
