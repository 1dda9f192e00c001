import { PromotionHistoryEntry } from '../types/history';
import { summarizeHistory } from './summarizeHistory';

const ENVS = ['development', 'staging', 'production'];
const CLUSTER: Record<string, string> = {
  'dev-eu': 'development',
  'staging-eu': 'staging',
  'prod-eu': 'production',
  'prod-us': 'production',
};

function entry(
  cluster: string,
  at: string,
  state: PromotionHistoryEntry['state'],
  version: string,
  extra: Partial<PromotionHistoryEntry> = {},
): PromotionHistoryEntry {
  return {
    workload: 'HelmRelease/payments-api',
    kind: 'HelmRelease',
    name: 'payments-api',
    environment: CLUSTER[cluster],
    cluster,
    namespace: 'payments',
    at: `2026-11-${at}Z`,
    state,
    version,
    ...extra,
  };
}

const H = 3_600_000;

describe('summarizeHistory', () => {
  const entries = [
    entry('dev-eu', '01T10:00:00', 'Ready', '1.4.0'),
    entry('staging-eu', '01T12:00:00', 'Ready', '1.4.0'),
    entry('prod-eu', '02T10:00:00', 'Ready', '1.4.0'),
    entry('prod-us', '02T11:00:00', 'Ready', '1.4.0'),
    entry('dev-eu', '03T10:00:00', 'Ready', '1.5.0'),
    // staging fails the upgrade to 1.5.0 for 2 hours, then takes it
    entry('staging-eu', '03T12:00:00', 'Failed', '1.4.0', {
      targetVersion: '1.5.0',
      summary: 'The Helm upgrade failed',
    }),
    entry('staging-eu', '03T14:00:00', 'Ready', '1.5.0'),
    entry('prod-eu', '04T10:00:00', 'Ready', '1.5.0'),
  ];
  const [history] = summarizeHistory(
    [...entries].reverse(),
    ENVS,
    new Date('2026-11-05T00:00:00Z'),
  );

  it('lists versions newest first, with when they reached each environment', () => {
    expect(history.versions.map(v => v.version)).toEqual(['1.5.0', '1.4.0']);
    const [v150, v140] = history.versions;
    expect(v150.environments.map(e => e.reachedAt)).toEqual([
      '2026-11-03T10:00:00Z',
      '2026-11-03T14:00:00Z',
      '2026-11-04T10:00:00Z',
    ]);
    expect(v150.leadTimeMs).toBe(24 * H);
    expect(v140.leadTimeMs).toBe(24 * H);
    // prod-us still runs 1.4.0: it stays current in production.
    expect(v140.environments[2]).toMatchObject({
      current: true,
      clusters: [
        { cluster: 'prod-eu', leftAt: '2026-11-04T10:00:00Z' },
        { cluster: 'prod-us' },
      ],
    });
    expect(v140.environments[2].stayedMs).toBeUndefined();
    expect(v140.environments[0]).toMatchObject({
      current: false,
      stayedMs: 48 * H,
    });
  });

  it('counts failed rollouts against the version attempted, and the time to restore', () => {
    expect(history.versions[0].environments[1].failedAttempts).toBe(1);
    expect(history.versions[1].environments[1].failedAttempts).toBe(0);
    const staging = history.environments[1];
    expect(staging.failures).toEqual([
      {
        cluster: 'staging-eu',
        failedAt: '2026-11-03T12:00:00Z',
        summary: 'The Helm upgrade failed',
        recoveredAt: '2026-11-03T14:00:00Z',
        restoreMs: 2 * H,
      },
    ]);
    expect(staging.meanRestoreMs).toBe(2 * H);
    expect(history.environments[2].failures).toEqual([]);
  });

  it('places a version that already ran, failing, when a cluster was first recorded, before that record', () => {
    // The journal starts with staging failing its upgrade from 1.4.0 to
    // 1.5.0: 1.4.0 runs there, since before the first record.
    const [started] = summarizeHistory(
      [
        entry('dev-eu', '01T10:00:00', 'Ready', '1.5.0'),
        entry('staging-eu', '01T12:00:00', 'Failed', '1.4.0', {
          targetVersion: '1.5.0',
        }),
        entry('prod-eu', '01T09:00:00', 'Ready', '1.4.0'),
        entry('staging-eu', '02T12:00:00', 'Ready', '1.5.0'),
      ],
      ENVS,
      new Date('2026-11-05T00:00:00Z'),
    );
    const v140 = started.versions.find(v => v.version === '1.4.0')!;
    expect(v140.environments[1]).toMatchObject({
      reachedAt: '2026-11-01T12:00:00Z',
      reachedBefore: true,
      current: false,
      stayedMs: 24 * H,
      clusters: [{ cluster: 'staging-eu', before: true }],
    });
    // How long 1.4.0 took to production is not known: no lead time.
    expect(v140.leadTimeMs).toBeUndefined();
    const v150 = started.versions.find(v => v.version === '1.5.0')!;
    expect(v150.environments[1]).toMatchObject({
      reachedAt: '2026-11-02T12:00:00Z',
      failedAttempts: 1,
    });
    expect(v150.environments[1].reachedBefore).toBeUndefined();
  });

  it('keeps one timeline per namespace of a cluster: one copy failing does not end the other, nor the other restore it', () => {
    const [api] = summarizeHistory(
      [
        entry('dev-eu', '01T10:00:00', 'Ready', '1.0.0', {
          namespace: 'team-a',
        }),
        entry('dev-eu', '01T11:00:00', 'Ready', '2.0.0', {
          namespace: 'team-b',
        }),
        entry('dev-eu', '02T11:00:00', 'Failed', '2.0.0', {
          namespace: 'team-b',
          targetVersion: '2.1.0',
        }),
        entry('dev-eu', '02T12:00:00', 'Ready', '1.0.0', {
          namespace: 'team-a',
        }),
      ],
      ENVS,
      new Date('2026-11-05T00:00:00Z'),
    );
    const v200 = api.versions.find(v => v.version === '2.0.0')!;
    expect(v200.environments[0]).toMatchObject({ current: true });
    expect(v200.environments[0].stayedMs).toBeUndefined();
    const v100 = api.versions.find(v => v.version === '1.0.0')!;
    expect(v100.environments[0].clusters).toHaveLength(1);
    expect(api.environments[0].failures).toEqual([
      expect.objectContaining({
        cluster: 'dev-eu',
        failedAt: '2026-11-02T11:00:00Z',
      }),
    ]);
    expect(api.environments[0].failures[0].recoveredAt).toBeUndefined();
  });

  it("places each cluster's first entry of a cut history before that record, and gives no lead time from it", () => {
    const window = [
      entry('dev-eu', '06T10:00:00', 'Ready', '1.4.0'),
      entry('staging-eu', '06T12:00:00', 'Ready', '1.4.0'),
      entry('prod-eu', '07T10:00:00', 'Ready', '1.4.0'),
    ];
    const now = new Date('2026-11-10T00:00:00Z');
    const [whole] = summarizeHistory(window, ENVS, now);
    expect(whole.versions[0].leadTimeMs).toBe(24 * H);
    const [cut] = summarizeHistory(window, ENVS, now, { truncated: true });
    const [v140] = cut.versions;
    expect(v140.environments.map(e => e.reachedBefore)).toEqual([
      true,
      true,
      true,
    ]);
    expect(v140.leadTimeMs).toBeUndefined();
  });

  it('does not count a version that starts failing after another ran as arrived', () => {
    const [later] = summarizeHistory(
      [
        entry('staging-eu', '01T12:00:00', 'Ready', '1.4.0'),
        entry('staging-eu', '02T12:00:00', 'Failed', '1.5.0'),
      ],
      ENVS,
      new Date('2026-11-05T00:00:00Z'),
    );
    const v150 = later.versions.find(v => v.version === '1.5.0')!;
    expect(v150.environments[1].reachedAt).toBeUndefined();
    expect(v150.environments[1].failedAttempts).toBe(1);
  });

  it('counts a rollout of another version that fails while the first still does, in one failure span', () => {
    const [h] = summarizeHistory(
      [
        entry('staging-eu', '01T12:00:00', 'Ready', '1.4.0'),
        entry('staging-eu', '02T12:00:00', 'Failed', '1.4.0', {
          targetVersion: '1.5.0',
        }),
        // Another reason, the same attempt: not counted again.
        entry('staging-eu', '02T13:00:00', 'Failed', '1.4.0', {
          targetVersion: '1.5.0',
          reason: 'InstallFailed',
        }),
        entry('staging-eu', '02T14:00:00', 'Failed', '1.4.0', {
          targetVersion: '1.6.0',
        }),
        entry('staging-eu', '02T16:00:00', 'Ready', '1.6.0'),
      ],
      ENVS,
      new Date('2026-11-05T00:00:00Z'),
    );
    const attempts = (version: string) =>
      h.versions.find(v => v.version === version)!.environments[1]
        .failedAttempts;
    expect(attempts('1.5.0')).toBe(1);
    expect(attempts('1.6.0')).toBe(1);
    expect(h.environments[1].failures).toHaveLength(1);
    expect(h.environments[1].failures[0].restoreMs).toBe(4 * H);
  });
});
