import { ClusterCell, EnvironmentCell, RootCause } from '../types/view';
import {
  decideNotification,
  EnvironmentObservation,
  NotificationKind,
  NotificationState,
  NotifyMode,
  observeEnvironment,
} from './notificationRules';

const MIN = 60_000;
const timing = { delayMs: 2 * MIN, minIntervalMs: 30 * MIN };
const T0 = Date.parse('2026-12-05T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * MIN);
const iso = (minutes: number) => at(minutes).toISOString();

const failing = (
  failure = 'HelmRelease/apps/payments-api:configuration:UpgradeFailed',
  since?: string,
): EnvironmentObservation => ({ condition: 'failing', failure, since });
const healthy = (
  version = '2.4.0',
  since?: string,
): EnvironmentObservation => ({
  condition: 'healthy',
  version,
  since,
});
const unknown: EnvironmentObservation = { condition: 'unknown' };

/**
 * Runs the rules over a timeline of [minute, observation] checks and
 * returns what was sent, as `minute:kind`.
 */
function run(
  timeline: Array<[number, EnvironmentObservation]>,
  mode: NotifyMode = 'failures',
  initial?: NotificationState,
): { sent: string[]; state: NotificationState | undefined } {
  let state = initial;
  const sent: string[] = [];
  for (const [minute, observation] of timeline) {
    const decision = decideNotification({
      previous: state,
      observation,
      mode,
      timing,
      now: at(minute),
    });
    state = decision.state;
    if (decision.send) sent.push(`${minute}:${decision.send}`);
  }
  return { sent, state };
}

/** A check every minute from `from` to `to` seeing the same thing. */
function every(
  from: number,
  to: number,
  observation: EnvironmentObservation,
): Array<[number, EnvironmentObservation]> {
  const checks: Array<[number, EnvironmentObservation]> = [];
  for (let m = from; m <= to; m++) checks.push([m, observation]);
  return checks;
}

describe('decideNotification', () => {
  describe('delay', () => {
    it('sends a failure once it has lasted the delay, and never again while it lasts', () => {
      const { sent, state } = run(every(0, 60, failing()));
      expect(sent).toEqual(['2:failure']);
      expect(state).toMatchObject({
        condition: 'failing',
        since: iso(0),
        sent: { kind: 'failure', at: iso(2) },
        attentionAt: iso(2),
      });
    });

    it('sends nothing for a failure that recovers within the delay', () => {
      const { sent } = run([
        ...every(0, 1, failing()),
        ...every(2, 30, healthy()),
      ]);
      expect(sent).toEqual([]);
    });

    it('times a failure from the objects (lastTransitionTime), so a restart does not restart the delay', () => {
      // Failing since 09:50 by the objects: first seen at 10:00, told at once.
      expect(run([[0, failing(undefined, iso(-10))]]).sent).toEqual([
        '0:failure',
      ]);
      // Failing since 09:59 by the objects: told at 10:01, not at 10:02.
      expect(run(every(0, 2, failing(undefined, iso(-1)))).sent).toEqual([
        '1:failure',
      ]);
    });

    it('ignores an object time in the future or before the condition seen (clock skew, unparsable)', () => {
      expect(run(every(0, 2, failing(undefined, iso(30)))).sent).toEqual([
        '2:failure',
      ]);
      expect(run(every(0, 2, failing(undefined, 'yesterday'))).sent).toEqual([
        '2:failure',
      ]);
      // Healthy since 10:00, then failing with a transition time of 09:00
      // (before the healthy time seen): the failure starts when seen.
      const { sent } = run(
        [[0, healthy()], ...every(5, 7, failing(undefined, iso(-60)))],
        'changes',
      );
      expect(sent).toEqual(['7:failure']);
    });

    it('sends the recovery only once health has lasted the delay', () => {
      const { sent, state } = run([
        ...every(0, 10, failing()),
        ...every(11, 12, healthy()),
        [13, failing()],
        ...every(14, 20, healthy()),
      ]);
      // Healthy at 11-12 (less than the delay), failing again at 13 (the
      // same failure, already told), healthy from 14: recovered at 16.
      expect(sent).toEqual(['2:failure', '16:recovery']);
      expect(state).toMatchObject({
        condition: 'healthy',
        since: iso(14),
        sent: { kind: 'recovery', at: iso(16) },
        attentionAt: iso(2),
      });
    });
  });

  describe('no sandbox', () => {
    it('sends nothing and remembers nothing in mode none', () => {
      const { sent, state } = run(
        [...every(0, 60, failing()), ...every(61, 90, healthy('2.5.0'))],
        'none',
      );
      expect(sent).toEqual([]);
      expect(state).toBeUndefined();
    });
  });

  describe('update on recovery or another failure', () => {
    it('updates the failure when it recovers (one scope: failure, then recovery)', () => {
      const { sent } = run([
        ...every(0, 14, failing()),
        ...every(15, 20, healthy()),
      ]);
      expect(sent).toEqual(['2:failure', '17:recovery']);
    });

    it('updates the failure when it fails differently, within the interval bound', () => {
      const other = failing('GitRepository/flux-system/app:authentication:');
      const { sent } = run([...every(0, 5, failing()), ...every(6, 40, other)]);
      // The other failure is known at 6 but the last attention was at 2.
      expect(sent).toEqual(['2:failure', '32:failure']);
    });

    it('does not tell a failure again when its causes come and go as clusters retry', () => {
      const a = 'HelmRelease/apps/payments-api:configuration:UpgradeFailed';
      const b = 'HelmRepository/flux-system/charts:network:Failed';
      // Two clusters failing differently for four hours; each is
      // Progressing (not Failed) while it retries, so the failing set flips.
      const phases = [`${a}\n${b}`, a, b];
      const timeline: Array<[number, EnvironmentObservation]> = [];
      for (let m = 0; m <= 240; m++) {
        timeline.push([m, failing(phases[m % 3], iso(0))]);
      }
      const { sent, state } = run(timeline);
      // Told at 2 with the cause failing then (b); a, not told yet, once the
      // interval allows; then never again while it lasts (it was every 30 min).
      expect(sent).toEqual(['2:failure', '33:failure']);
      expect(state?.sent?.failure).toBe([a, b].sort().join('\n'));
      // A cause not told yet is a different failure, within the bound.
      const c = 'Kustomization/apps/db:dependency:';
      const later = run(every(241, 280, failing(c, iso(0))), 'failures', state);
      expect(later.sent).toEqual(['241:failure']);
      expect(later.state?.sent?.failure).toBe([a, b, c].sort().join('\n'));
    });

    it('a recovery is not held back by the interval bound', () => {
      const { sent } = run([
        ...every(0, 3, failing()),
        ...every(4, 6, healthy()),
      ]);
      expect(sent).toEqual(['2:failure', '6:recovery']);
    });
  });

  describe('flapping bound', () => {
    it('tells a workload flapping every 3 minutes once per interval', () => {
      const timeline: Array<[number, EnvironmentObservation]> = [];
      for (let m = 0; m <= 120; m++) {
        timeline.push([m, Math.floor(m / 3) % 2 === 0 ? failing() : healthy()]);
      }
      const { sent } = run(timeline);
      const failures = sent.filter(s => s.endsWith(':failure'));
      // Failures at most one per 30 minutes; recoveries only after a told failure.
      expect(failures).toEqual([
        '2:failure',
        '32:failure',
        '62:failure',
        '92:failure',
      ]);
      expect(sent.filter(s => s.endsWith(':recovery'))).toEqual([
        '5:recovery',
        '35:recovery',
        '65:recovery',
        '95:recovery',
      ]);
    });

    it('a failure held back by the bound is told when the bound ends if it still lasts, with what is true then', () => {
      const { sent, state } = run([
        ...every(0, 2, failing()),
        ...every(3, 5, healthy()),
        ...every(6, 40, failing('Kustomization/apps/db:dependency:')),
      ]);
      expect(sent).toEqual(['2:failure', '5:recovery', '32:failure']);
      expect(state?.sent).toEqual({
        kind: 'failure',
        at: iso(32),
        failure: 'Kustomization/apps/db:dependency:',
        since: iso(6),
      });
      expect(state?.since).toBe(iso(6));
    });
  });

  describe('absent', () => {
    const absent: EnvironmentObservation = { condition: 'absent' };

    it('ends a failure told when the workload is absent for the delay, then forgets it: the same failure, back, is told again', () => {
      const { sent, state } = run([
        ...every(0, 3, failing()),
        ...every(4, 5, absent),
      ]);
      expect(sent).toEqual(['2:failure']);
      expect(state?.absentSince).toBe(iso(4));
      const removal = decideNotification({
        previous: state,
        observation: absent,
        mode: 'failures',
        timing,
        now: at(6),
      });
      expect(removal).toEqual({
        state: undefined,
        send: 'ended',
        since: iso(4),
      });
      const later = run(every(60, 63, failing()), 'failures', removal.state);
      expect(later.sent).toEqual(['62:failure']);
    });

    it('forgets without a word a workload whose last word was its recovery, or that was never told', () => {
      expect(
        run([
          ...every(0, 3, failing()),
          ...every(4, 6, healthy()),
          ...every(7, 10, absent),
        ]).sent,
      ).toEqual(['2:failure', '6:recovery']);
      const untold = run([...every(0, 1, failing()), ...every(2, 10, absent)]);
      expect(untold).toEqual({ sent: [], state: undefined });
    });

    it('remembers a workload absent for less than the delay as it was', () => {
      const { sent, state } = run([
        ...every(0, 3, failing()),
        ...every(4, 5, absent),
        ...every(6, 20, failing()),
      ]);
      expect(sent).toEqual(['2:failure']);
      expect(state?.absentSince).toBeUndefined();
    });

    it('is what a cell no cluster runs is, when every cluster answered', () => {
      const cell = {
        environment: 'production',
        state: 'NotDeployed',
        versions: [],
        mixedVersions: false,
        readyClusters: 0,
        totalClusters: 0,
        notDeployedIn: ['prod-eu'],
        unavailableIn: [],
        clusters: [],
      } as EnvironmentCell;
      expect(observeEnvironment(cell)).toEqual({ condition: 'absent' });
      expect(
        observeEnvironment({ ...cell, unavailableIn: ['prod-us'] }),
      ).toEqual({ condition: 'unknown' });
    });
  });

  describe('changes', () => {
    it('tells each version that reaches the environment, not the first one seen', () => {
      const { sent, state } = run(
        [...every(0, 5, healthy('2.4.0')), ...every(40, 45, healthy('2.5.0'))],
        'changes',
      );
      expect(sent).toEqual(['42:version']);
      expect(state).toMatchObject({
        version: '2.5.0',
        sent: { kind: 'version', version: '2.5.0', at: iso(42) },
      });
    });

    it('does not tell a git tag written with its commit, as versions now are, as a new version; a moved tag later is', () => {
      const { sent, state } = run(
        [
          ...every(0, 5, healthy('v1.3.0')),
          ...every(10, 15, healthy('v1.3.0@06a5a13')),
          ...every(40, 45, healthy('v1.3.0@4b1d2c3')),
        ],
        'changes',
      );
      expect(sent).toEqual(['42:version']);
      expect(state).toMatchObject({ version: 'v1.3.0@4b1d2c3' });
    });

    it('says since when the new version runs, also when it is first seen past the delay (after a restart)', () => {
      const decision = decideNotification({
        previous: { condition: 'healthy', since: iso(0), version: '1.0.0' },
        observation: healthy('1.1.0', iso(120)),
        mode: 'changes',
        timing,
        now: at(126),
      });
      expect(decision.send).toBe('version');
      expect(decision.since).toBe(iso(120));
      // The environment has been healthy all along: its own since is older.
      expect(decision.state?.since).toBe(iso(0));
    });

    it('says since when a failure and a recovery are true', () => {
      const failed = decideNotification({
        previous: { condition: 'healthy', since: iso(0), version: '1.0.0' },
        observation: failing(undefined, iso(10)),
        mode: 'failures',
        timing,
        now: at(13),
      });
      expect([failed.send, failed.since]).toEqual(['failure', iso(10)]);
      const recovered = decideNotification({
        previous: failed.state,
        observation: healthy('1.0.0', iso(20)),
        mode: 'failures',
        timing,
        now: at(23),
      });
      expect([recovered.send, recovered.since]).toEqual(['recovery', iso(20)]);
      expect(
        decideNotification({
          previous: recovered.state,
          observation: healthy('1.0.0', iso(20)),
          mode: 'failures',
          timing,
          now: at(24),
        }),
      ).toEqual({ state: recovered.state });
    });

    it('does not tell versions in mode failures', () => {
      expect(
        run(
          [
            ...every(0, 5, healthy('2.4.0')),
            ...every(40, 45, healthy('2.5.0')),
          ],
          'failures',
        ).sent,
      ).toEqual([]);
    });

    it('holds a version change back by the interval and tells the latest one then', () => {
      const { sent, state } = run(
        [
          ...every(0, 3, healthy('1')),
          ...every(4, 10, healthy('2')),
          ...every(11, 20, healthy('3')),
          ...every(21, 45, healthy('4')),
        ],
        'changes',
      );
      expect(sent).toEqual(['6:version', '36:version']);
      expect(state?.version).toBe('4');
    });

    it('a recovery with a new version is one update, and the version becomes the baseline', () => {
      const { sent, state } = run(
        [
          ...every(0, 2, healthy('1')),
          ...every(3, 10, failing()),
          ...every(11, 20, healthy('2')),
        ],
        'changes',
      );
      expect(sent).toEqual(['5:failure', '13:recovery']);
      expect(state?.version).toBe('2');
    });
  });

  describe('stale data sends nothing misleading', () => {
    it('an unknown environment keeps the state and sends nothing', () => {
      const previous: NotificationState = {
        condition: 'failing',
        since: iso(0),
        failure: 'x',
        sent: { kind: 'failure', at: iso(2), failure: 'x' },
        attentionAt: iso(2),
      };
      const decision = decideNotification({
        previous,
        observation: unknown,
        mode: 'failures',
        timing,
        now: at(500),
      });
      expect(decision).toEqual({ state: previous });
    });

    it('a failure seen again after a stale hour is not told twice, a recovery is told once fresh', () => {
      const { sent } = run([
        ...every(0, 5, failing()),
        ...every(6, 66, unknown),
        ...every(67, 70, failing()),
        ...every(71, 80, healthy()),
      ]);
      expect(sent).toEqual(['2:failure', '73:recovery']);
    });

    it('nothing is told of an environment only ever seen stale', () => {
      expect(run(every(0, 100, unknown)).sent).toEqual([]);
    });
  });

  it('returns the previous state object itself when nothing changed (no write)', () => {
    const first = run(every(0, 3, failing())).state!;
    const decision = decideNotification({
      previous: first,
      observation: failing(),
      mode: 'failures',
      timing,
      now: at(4),
    });
    expect(decision.state).toBe(first);
    expect(decision.send).toBeUndefined();
  });

  it('remembers nothing of a healthy workload in mode failures', () => {
    expect(run(every(0, 10, healthy())).state).toBeUndefined();
  });

  it.each<[NotifyMode, NotificationKind[]]>([
    ['none', []],
    ['failures', ['failure', 'recovery']],
    ['changes', ['failure', 'recovery', 'version']],
  ])(
    'mode %s sends %j over a failure, a recovery and a new version',
    (mode, kinds) => {
      const { sent } = run(
        [
          ...every(0, 3, healthy('1')),
          ...every(4, 10, failing()),
          ...every(11, 15, healthy('1')),
          ...every(50, 55, healthy('2')),
        ],
        mode,
      );
      expect(sent.map(s => s.split(':')[1])).toEqual(kinds);
    },
  );
});

const cause = (reason: string, summary = 's'): RootCause => ({
  ref: {
    cluster: 'prod-eu',
    kind: 'HelmRelease',
    group: 'helm.toolkit.fluxcd.io',
    version: 'v2',
    plural: 'helmreleases',
    namespace: 'apps',
    name: 'payments-api',
  },
  category: 'configuration',
  summary,
  reason,
  nextSteps: [],
});

function clusterCell(name: string, extra: Partial<ClusterCell>): ClusterCell {
  return {
    cluster: name,
    namespace: 'apps',
    state: 'Ready',
    history: [],
    chain: [],
    ...extra,
  };
}

function envCell(
  clusters: ClusterCell[],
  extra: Partial<EnvironmentCell> = {},
): EnvironmentCell {
  return {
    environment: 'production',
    state: 'Ready',
    versions: [],
    mixedVersions: false,
    readyClusters: 0,
    totalClusters: clusters.length,
    notDeployedIn: [],
    unavailableIn: [],
    clusters,
    ...extra,
  };
}

describe('observeEnvironment', () => {
  it('a failing cell is identified by its root causes, not their messages', () => {
    const a = observeEnvironment(
      envCell(
        [
          clusterCell('prod-eu', {
            state: 'Failed',
            rootCause: cause('UpgradeFailed', 'timed out after 5m0s'),
          }),
          clusterCell('prod-us', { state: 'Ready' }),
        ],
        { state: 'Failed', since: '2026-12-05T09:00:00Z' },
      ),
    );
    const b = observeEnvironment(
      envCell(
        [
          clusterCell('prod-eu', {
            state: 'Failed',
            rootCause: cause('UpgradeFailed', 'timed out after 5m1s'),
          }),
        ],
        { state: 'Failed' },
      ),
    );
    expect(a).toEqual({
      condition: 'failing',
      failure: 'HelmRelease/apps/payments-api:configuration:UpgradeFailed',
      since: '2026-12-05T09:00:00Z',
    });
    expect(b.condition === 'failing' && b.failure).toBe(
      a.condition === 'failing' && a.failure,
    );
  });

  it('a failure on a stale cluster is unknown', () => {
    expect(
      observeEnvironment(
        envCell(
          [
            clusterCell('prod-eu', {
              state: 'Failed',
              rootCause: cause('UpgradeFailed'),
              staleSince: '2026-12-05T09:00:00Z',
            }),
          ],
          { state: 'Failed' },
        ),
      ),
    ).toEqual({ condition: 'unknown' });
  });

  it('healthy only when every cluster is fresh and none is unavailable', () => {
    expect(
      observeEnvironment(
        envCell([clusterCell('prod-eu', {})], { version: '2.4.0' }),
      ),
    ).toEqual({ condition: 'healthy', version: '2.4.0', since: undefined });
    expect(
      observeEnvironment(
        envCell([clusterCell('prod-eu', {})], { unavailableIn: ['prod-us'] }),
      ),
    ).toEqual({ condition: 'unknown' });
    expect(
      observeEnvironment(
        envCell([
          clusterCell('prod-eu', { staleSince: '2026-12-05T09:00:00Z' }),
        ]),
      ),
    ).toEqual({ condition: 'unknown' });
  });

  it.each(['Progressing', 'Suspended', 'Unknown'] as const)(
    '%s is unknown to the rules',
    state => {
      expect(observeEnvironment(envCell([], { state }))).toEqual({
        condition: 'unknown',
      });
    },
  );
});
