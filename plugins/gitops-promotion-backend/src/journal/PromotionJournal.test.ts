import { mockServices } from '@backstage/backend-test-utils';
import { metricsServiceMock } from '@backstage/backend-test-utils/alpha';
import {
  ClusterError,
  KubeObject,
} from '@gitops-promotion/backstage-plugin-common';
import {
  kindOf,
  ObjectIndex,
} from '@gitops-promotion/backstage-plugin-common/server';
import {
  helmRelease,
  helmRepository,
  notReady,
  ready,
} from '@gitops-promotion/backstage-plugin-common/testUtils';
import knexFactory, { Knex } from 'knex';
import {
  databaseService,
  sqliteAndPostgres,
} from '../__testUtils__/testDatabases';
import { slimObject } from '../cache/slim';
import { journalMetrics } from './journalMetrics';
import { applyRetention } from './openJournal';
import { JournalStore } from './JournalStore';
import { JournalCluster, PromotionJournal } from './PromotionJournal';
import { JournalEntry } from './types';

const databases = sqliteAndPostgres();

class TestCluster implements JournalCluster {
  readonly store = new ObjectIndex();
  errors: ClusterError[] = [];
  /** @param asIs - objects kept without slimming (which would read them). */
  constructor(objects: KubeObject[], asIs: KubeObject[] = []) {
    objects.forEach(o => this.put(o));
    asIs.forEach(o => this.store.upsert(kindOf(o)!, o));
  }
  /** Kept as the watch cache keeps it: slimmed. */
  put(obj: KubeObject) {
    const kind = kindOf(obj)!;
    this.store.upsert(kind, slimObject(kind, obj));
  }
  hasData() {
    return true;
  }
  async whenSettled() {}
}

const repo = () =>
  helmRepository('podinfo', 'flux-system', {
    url: 'https://stefanprodan.github.io/podinfo',
  });

/** podinfo at `version`, deployed at `deployedAt`, Ready since `readyAt`. */
function podinfo(version: string, deployedAt: string, readyAt: string) {
  const hr = helmRelease('podinfo', 'apps', {
    chart: 'podinfo',
    version,
    source: {
      kind: 'HelmRepository',
      name: 'podinfo',
      namespace: 'flux-system',
    },
    conditions: [ready('UpgradeSucceeded', 'Helm upgrade succeeded', readyAt)],
  });
  // Helm keeps the release's first install in every revision's
  // firstDeployed; lastDeployed is when this revision was deployed.
  hr.status!.history![0].lastDeployed = deployedAt;
  return hr;
}

/** podinfo running `versions[0]`, each deployed at its time (newest first). */
function upgraded(
  versions: Array<[string, string]>,
  reason = 'UpgradeSucceeded',
) {
  const hr = helmRelease('podinfo', 'apps', {
    chart: 'podinfo',
    version: versions[0][0],
    deployed: versions.map(([v]) => v),
    source: {
      kind: 'HelmRepository',
      name: 'podinfo',
      namespace: 'flux-system',
    },
    conditions: [ready(reason, 'Helm upgrade succeeded', versions[0][1])],
  });
  hr.status!.history!.forEach((h, i) => {
    h.lastDeployed = versions[i][1];
  });
  return hr;
}

/** podinfo whose upgrade to `attempt` failed at `failedAt`, `running` still deployed. */
function podinfoFailing(running: string, attempt: string, failedAt: string) {
  return helmRelease('podinfo', 'apps', {
    chart: 'podinfo',
    version: running,
    failedAttempt: attempt,
    source: {
      kind: 'HelmRepository',
      name: 'podinfo',
      namespace: 'flux-system',
    },
    conditions: [
      notReady(
        'UpgradeFailed',
        'Helm upgrade failed for release apps/podinfo with chart podinfo@6.6.0: context deadline exceeded',
        failedAt,
      ),
    ],
  });
}

/** prod-eu running podinfo 6.5.0, journaled by a backend that then stopped. */
async function journaledBeforeRestart(knex: Knex): Promise<TestCluster> {
  const prod = new TestCluster([
    repo(),
    podinfo('6.5.0', '2026-11-01T10:00:00Z', '2026-11-01T10:00:40Z'),
  ]);
  const first = await startedJournal(knex, new Map([['prod-eu', prod]]));
  await first.flush();
  await first.stop();
  return prod;
}

async function startedJournal(
  knex: Knex,
  clusters: Map<string, TestCluster>,
  logger = mockServices.logger.mock(),
  environments: Array<{
    clusters: Array<{ cluster: string; namespaces?: string[] }>;
  }> = [],
): Promise<PromotionJournal> {
  const store = await JournalStore.create(databaseService(knex));
  const journal = new PromotionJournal(store, logger, {
    intervalMs: 60_000,
    environments,
  });
  await journal.start(clusters);
  // Lets the clusters' whenSettled() callbacks run.
  await new Promise(resolve => setImmediate(resolve));
  return journal;
}

/** A backend started again over prod-eu (holding `prod`): it records, then stops. */
async function restartOver(knex: Knex, prod: TestCluster): Promise<void> {
  const journal = await startedJournal(knex, new Map([['prod-eu', prod]]));
  await journal.flush();
  await journal.stop();
}

/** A started journal of one cluster, prod-eu, holding `objects`, and its logger. */
async function journalOfProdEu(
  knex: Knex,
  objects: KubeObject[],
  asIs: KubeObject[] = [],
) {
  const prod = new TestCluster(objects, asIs);
  const logger = mockServices.logger.mock();
  const journal = await startedJournal(
    knex,
    new Map([['prod-eu', prod]]),
    logger,
  );
  return { journal, logger, prod };
}

/** The journal's table out of reach (every insert fails, as in an outage), or back. */
async function outage(knex: Knex, on: boolean) {
  const [from, to] = ['gitops_promotion_journal', 'journal_aside'];
  await knex.schema.renameTable(on ? from : to, on ? to : from);
}

/**
 * prod-eu's journal with podinfo 6.5.0 recorded, then the database out of
 * reach (outage) when podinfo's upgrade to 6.6.0 fails: that entry waits.
 */
async function failingInOutage(knex: Knex) {
  const started = await journalOfProdEu(knex, [
    repo(),
    podinfo('6.5.0', '2026-11-01T10:00:00Z', '2026-11-01T10:00:40Z'),
  ]);
  await started.journal.flush();
  await outage(knex, true);
  started.prod.put(podinfoFailing('6.5.0', '6.6.0', '2026-11-02T09:05:00Z'));
  started.journal.record('prod-eu', 'apps');
  await started.journal.flush();
  return started;
}

async function rows(knex: Knex): Promise<JournalEntry[]> {
  const store = await JournalStore.create(databaseService(knex));
  return (
    await store.list({
      workloads: [
        {
          cluster: 'prod-eu',
          kind: 'HelmRelease',
          namespace: 'apps',
          name: 'podinfo',
        },
      ],
      limit: 100,
    })
  ).reverse();
}

describe('PromotionJournal', () => {
  // scripts/test.sh starts a throwaway server (CI is set there); a run by
  // hand without one tries SQLite only, and reports this as skipped.
  (process.env.CI ? describe : describe.skip)('in the test command', () => {
    it('runs against PostgreSQL', () => {
      const postgres = databases
        .eachSupportedId()
        .filter(([id]) => id.startsWith('POSTGRES'));
      expect(postgres.length).toBeGreaterThan(0);
    });
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    beforeEach(async () => {
      knex = await databases.init(databaseId);
    });

    it('records the running version and each state change, timed by the objects', async () => {
      const prod = new TestCluster([
        repo(),
        podinfo('6.5.0', '2026-11-01T10:00:00Z', '2026-11-01T10:00:40Z'),
      ]);
      const journal = await startedJournal(knex, new Map([['prod-eu', prod]]));
      await journal.flush();

      prod.put(podinfoFailing('6.5.0', '6.6.0', '2026-11-02T09:05:00Z'));
      journal.record('prod-eu', 'apps');
      await journal.flush();

      prod.put(
        podinfo('6.6.0', '2026-11-02T09:30:00Z', '2026-11-02T09:30:20Z'),
      );
      journal.record('prod-eu', 'apps');
      await journal.flush();
      // Nothing changed: nothing written.
      journal.record('prod-eu', 'apps');
      await journal.flush();
      await journal.stop();

      const entries = await rows(knex);
      expect(
        entries.map(e => [
          e.at.toISOString(),
          e.state,
          e.version,
          e.targetVersion,
        ]),
      ).toEqual([
        // The history entry that deployed it.
        ['2026-11-01T10:00:00.000Z', 'Ready', '6.5.0', undefined],
        // The Ready condition's lastTransitionTime.
        ['2026-11-02T09:05:00.000Z', 'Failed', '6.5.0', '6.6.0'],
        ['2026-11-02T09:30:00.000Z', 'Ready', '6.6.0', undefined],
      ]);
      expect(entries[1]).toMatchObject({
        reason: 'UpgradeFailed',
        category: expect.any(String),
        summary: expect.stringContaining('podinfo'),
      });
      expect(entries[0].summary).toBeUndefined();
    });

    it('says no more of a link outside the environment’s namespaces than the view does', async () => {
      const failingRepo = helmRepository('podinfo', 'flux-system', {
        url: 'https://charts.internal.example/podinfo',
        conditions: [
          notReady(
            'Failed',
            'failed to fetch https://charts.internal.example/podinfo/index.yaml : 401 Unauthorized',
            '2026-11-02T09:00:00Z',
          ),
        ],
      });
      const prod = new TestCluster([
        failingRepo,
        podinfo('6.5.0', '2026-11-01T10:00:00Z', '2026-11-01T10:00:40Z'),
      ]);
      const journal = await startedJournal(
        knex,
        new Map([['prod-eu', prod]]),
        undefined,
        [{ clusters: [{ cluster: 'prod-eu', namespaces: ['apps'] }] }],
      );
      await journal.flush();
      await journal.stop();
      // The first look: Ready from its deployment, then failed since the
      // repository's condition says.
      const [deployed, entry] = await rows(knex);
      expect(deployed).toMatchObject({ state: 'Ready', version: '6.5.0' });
      expect(entry).toMatchObject({
        state: 'Failed',
        reason: 'OutOfBounds',
        summary:
          "HelmRepository flux-system/podinfo is failed, outside this environment's namespaces (apps): only its state is shown, not its conditions, events or spec.",
      });
      expect(JSON.stringify(entry)).not.toContain('charts.internal');
    });

    it('places a new version that ran, then failed, while no backend ran: Ready when deployed, Failed when it failed', async () => {
      const prod = await journaledBeforeRestart(knex);

      // While the backend was down: 6.6.0 deployed on 11-03 10:00, the
      // upgrade to 6.7.0 failed on 11-04 09:00 (6.6.0 still runs).
      const failing = podinfoFailing('6.6.0', '6.7.0', '2026-11-04T09:00:00Z');
      const deployed = failing.status!.history!.find(
        h => h.chartVersion === '6.6.0',
      )!;
      deployed.lastDeployed = '2026-11-03T10:00:00Z';
      prod.put(failing);
      await restartOver(knex, prod);

      expect(
        (await rows(knex)).map(e => [e.at.toISOString(), e.state, e.version]),
      ).toEqual([
        ['2026-11-01T10:00:00.000Z', 'Ready', '6.5.0'],
        ['2026-11-03T10:00:00.000Z', 'Ready', '6.6.0'],
        ['2026-11-04T09:00:00.000Z', 'Failed', '6.6.0'],
      ]);
    });

    it('places a change made while no backend ran when it happened, after a restart', async () => {
      const prod = await journaledBeforeRestart(knex);

      // Upgraded while the backend was down.
      prod.put(
        podinfo('6.6.0', '2026-11-03T14:00:00Z', '2026-11-03T14:00:30Z'),
      );
      await restartOver(knex, prod);

      const entries = await rows(knex);
      expect(entries.map(e => [e.at.toISOString(), e.version])).toEqual([
        ['2026-11-01T10:00:00.000Z', '6.5.0'],
        ['2026-11-03T14:00:00.000Z', '6.6.0'],
      ]);
      expect(entries[1].observedAt.getTime()).toBeGreaterThan(
        entries[1].at.getTime(),
      );
    });

    it('records the versions status.history ran while no backend watched, each when it was deployed', async () => {
      // The journal's first look finds two earlier revisions in the history.
      const prod = new TestCluster([
        repo(),
        upgraded([
          ['6.5.0', '2026-11-01T10:00:00Z'],
          ['6.4.1', '2026-10-20T10:00:00Z'],
          ['6.4.0', '2026-10-10T10:00:00Z'],
        ]),
      ]);
      const first = await startedJournal(knex, new Map([['prod-eu', prod]]));
      await first.flush();
      await first.stop();

      // Two upgrades while the backend was down; a failed revision between them ran nothing.
      const hr = upgraded([
        ['6.7.0', '2026-11-05T10:00:00Z'],
        ['6.6.0', '2026-11-03T10:00:00Z'],
        ['6.5.0', '2026-11-01T10:00:00Z'],
      ]);
      hr.status!.history!.splice(1, 0, {
        ...hr.status!.history![1],
        chartVersion: '6.6.5',
        status: 'failed',
        lastDeployed: '2026-11-04T10:00:00Z',
      });
      prod.put(hr);
      await restartOver(knex, prod);

      const entries = await rows(knex);
      expect(
        entries.map(e => [e.at.toISOString(), e.state, e.version]),
      ).toEqual([
        ['2026-10-10T10:00:00.000Z', 'Ready', '6.4.0'],
        ['2026-10-20T10:00:00.000Z', 'Ready', '6.4.1'],
        ['2026-11-01T10:00:00.000Z', 'Ready', '6.5.0'],
        ['2026-11-03T10:00:00.000Z', 'Ready', '6.6.0'],
        ['2026-11-05T10:00:00.000Z', 'Ready', '6.7.0'],
      ]);
    });

    it.each([
      ['an upgrade', 'UpgradeSucceeded', [['6.5.0', '2026-11-05T10:00:00Z']]],
      ['a rollback', 'RollbackSucceeded', [['6.5.0', '2026-11-05T10:00:00Z']]],
      [
        'an upgrade, then another',
        'UpgradeSucceeded',
        [
          ['6.7.0', '2026-11-07T10:00:00Z'],
          ['6.5.0', '2026-11-05T10:00:00Z'],
        ],
      ],
    ] as Array<[string, string, Array<[string, string]>]>)(
      'records a return to the last entry’s version while no backend watched (%s), each change once and in order',
      async (_case, reason, newer) => {
        const prod = await journaledBeforeRestart(knex);
        // While the backend was down: 6.6.0, then 6.5.0 again (and on).
        prod.put(
          upgraded(
            [
              ...newer,
              ['6.6.0', '2026-11-03T10:00:00Z'],
              ['6.5.0', '2026-11-01T10:00:00Z'],
            ],
            reason,
          ),
        );
        // Twice: the second restart finds it all recorded.
        for (let i = 0; i < 2; i++) {
          await restartOver(knex, prod);
        }

        expect(
          (await rows(knex)).map(e => [e.at.toISOString(), e.version]),
        ).toEqual([
          ['2026-11-01T10:00:00.000Z', '6.5.0'],
          ['2026-11-03T10:00:00.000Z', '6.6.0'],
          ...[...newer]
            .reverse()
            .map(([version, at]) => [new Date(at).toISOString(), version]),
        ]);
      },
    );

    it('journals a workload again when it comes back after a walk of its cluster found it gone, even as it was', async () => {
      const { journal, prod } = await journalOfProdEu(knex, [
        repo(),
        podinfo('6.5.0', '2026-11-01T10:00:00Z', '2026-11-01T10:00:40Z'),
      ]);
      await journal.flush();
      // Deleted: the walk of its namespace, the cluster without error, finds it gone.
      prod.store.remove('HelmRelease', 'apps', 'podinfo');
      journal.record('prod-eu', 'apps');
      await journal.flush();
      // Recreated as it was, three weeks later.
      prod.put(
        podinfo('6.5.0', '2026-11-22T10:00:00Z', '2026-11-22T10:00:40Z'),
      );
      journal.record('prod-eu', 'apps');
      await journal.flush();
      await journal.stop();
      // A restart finds it recorded.
      await restartOver(knex, prod);

      expect(
        (await rows(knex)).map(e => [e.at.toISOString(), e.state, e.version]),
      ).toEqual([
        ['2026-11-01T10:00:00.000Z', 'Ready', '6.5.0'],
        ['2026-11-22T10:00:00.000Z', 'Ready', '6.5.0'],
      ]);
    });

    it('takes a workload missing at a restart as gone, but not one a cluster error hides', async () => {
      const prod = await journaledBeforeRestart(knex);
      // Deleted while no backend ran.
      prod.store.remove('HelmRelease', 'apps', 'podinfo');
      const journal = await startedJournal(knex, new Map([['prod-eu', prod]]));
      await journal.flush();
      prod.put(
        podinfo('6.5.0', '2026-11-22T10:00:00Z', '2026-11-22T10:00:40Z'),
      );
      journal.record('prod-eu', 'apps');
      await journal.flush();

      // Unseen while its cluster fails (its kind unread): not gone.
      prod.store.remove('HelmRelease', 'apps', 'podinfo');
      prod.errors = [
        {
          cluster: 'prod-eu',
          type: 'FORBIDDEN',
          kind: 'HelmRelease',
          message: 'cannot list helmreleases',
          since: '2026-11-23T00:00:00Z',
        },
      ];
      journal.record('prod-eu');
      await journal.flush();
      prod.errors = [];
      prod.put(
        podinfo('6.5.0', '2026-11-22T10:00:00Z', '2026-11-22T10:00:40Z'),
      );
      journal.record('prod-eu');
      await journal.flush();
      await journal.stop();

      expect(
        (await rows(knex)).map(e => [e.at.toISOString(), e.version]),
      ).toEqual([
        ['2026-11-01T10:00:00.000Z', '6.5.0'],
        ['2026-11-22T10:00:00.000Z', '6.5.0'],
      ]);
    });

    it('records a change once when two replicas share the database', async () => {
      // Two clients, as two backends hold two connection pools.
      const other: Knex = knexFactory(knex.client.config);
      try {
        const clusterA = new TestCluster([
          repo(),
          podinfo('6.5.0', '2026-11-01T10:00:00Z', '2026-11-01T10:00:40Z'),
        ]);
        const clusterB = new TestCluster([
          repo(),
          podinfo('6.5.0', '2026-11-01T10:00:00Z', '2026-11-01T10:00:40Z'),
        ]);
        const logger = mockServices.logger.mock();
        const a = await startedJournal(
          knex,
          new Map([['prod-eu', clusterA]]),
          logger,
        );
        const b = await startedJournal(
          knex.client.config.client === 'pg' ? other : knex,
          new Map([['prod-eu', clusterB]]),
          logger,
        );
        // Both write the same entries at the same time.
        await Promise.all([a.flush(), b.flush()]);
        const failing = podinfoFailing(
          '6.5.0',
          '6.6.0',
          '2026-11-02T09:05:00Z',
        );
        for (const [cluster, journal] of [
          [clusterA, a],
          [clusterB, b],
        ] as const) {
          cluster.put(failing);
          journal.record('prod-eu', 'apps');
        }
        await Promise.all([a.flush(), b.flush()]);
        // A change no timestamp places: each replica times it when it sees it.
        const untimed = podinfoFailing(
          '6.5.0',
          '6.6.0',
          '2026-11-02T09:05:00Z',
        );
        const { lastTransitionTime: _t, ...condition } = notReady(
          'ArtifactFailed',
          'HelmChart flux-system/apps-podinfo is not ready',
        );
        untimed.status!.conditions = [condition];
        for (const [cluster, journal] of [
          [clusterA, a],
          [clusterB, b],
        ] as const) {
          cluster.put(untimed);
          // Nor its chain: the source's last transition is older than the last entry.
          cluster.put(
            helmRepository('podinfo', 'flux-system', {
              url: 'https://stefanprodan.github.io/podinfo',
              conditions: [
                ready('Succeeded', 'stored artifact', '2026-10-01T00:00:00Z'),
              ],
            }),
          );
          journal.record('prod-eu', 'apps');
          await journal.flush();
          await new Promise(resolve => setTimeout(resolve, 5));
        }
        await Promise.all([a.stop(), b.stop()]);
        // The second writer's rows were skipped, not refused.
        expect(logger.warn).not.toHaveBeenCalled();
        const entries = await rows(knex);
        expect(entries.map(e => [e.state, e.reason])).toEqual([
          ['Ready', 'UpgradeSucceeded'],
          ['Failed', 'UpgradeFailed'],
          ['Failed', 'ArtifactFailed'],
        ]);
        expect(entries.slice(0, 2).map(e => e.at.toISOString())).toEqual([
          '2026-11-01T10:00:00.000Z',
          '2026-11-02T09:05:00.000Z',
        ]);
      } finally {
        await other.destroy();
      }
    });

    it('records nothing from a cluster whose data is stale', async () => {
      const prod = new TestCluster([
        repo(),
        podinfo('6.5.0', '2026-11-01T10:00:00Z', '2026-11-01T10:00:40Z'),
      ]);
      prod.errors = [
        {
          cluster: 'prod-eu',
          type: 'UNREACHABLE',
          message: 'connect ECONNREFUSED',
          since: '2026-11-01T11:00:00Z',
        },
      ];
      const journal = await startedJournal(knex, new Map([['prod-eu', prod]]));
      await journal.flush();
      expect(await rows(knex)).toEqual([]);

      prod.errors = [];
      journal.record('prod-eu');
      await journal.flush();
      await journal.stop();
      expect((await rows(knex)).map(e => e.version)).toEqual(['6.5.0']);
    });

    it('tells the metrics service what each flush wrote, and a write that failed', async () => {
      const metrics = metricsServiceMock.mock();
      const store = await JournalStore.create(databaseService(knex));
      const journal = new PromotionJournal(store, mockServices.logger.mock(), {
        intervalMs: 60_000,
        metrics: journalMetrics(metrics),
      });
      const prod = new TestCluster([
        repo(),
        podinfo('6.5.0', '2026-11-01T10:00:00Z', '2026-11-01T10:00:40Z'),
      ]);
      await journal.start(new Map([['prod-eu', prod]]));
      await new Promise(resolve => setImmediate(resolve));
      const instrument = (create: jest.Mock, name: string) =>
        create.mock.results[create.mock.calls.findIndex(([n]) => n === name)]
          .value;
      const entries = instrument(
        metrics.createCounter as jest.Mock,
        'gitops_promotion.journal.entries.count',
      );
      const failures = instrument(
        metrics.createCounter as jest.Mock,
        'gitops_promotion.journal.write.failures.count',
      );
      const writes = instrument(
        metrics.createHistogram as jest.Mock,
        'gitops_promotion.journal.write.duration',
      );
      const evaluations = instrument(
        metrics.createHistogram as jest.Mock,
        'gitops_promotion.journal.evaluate.duration',
      );

      await journal.flush();
      expect(entries.add).toHaveBeenLastCalledWith(1);
      expect(writes.record).toHaveBeenCalledTimes(1);

      // The database refuses the next write: counted, and the entry kept.
      jest
        .spyOn(store, 'append')
        .mockRejectedValueOnce(new Error('connection refused'));
      prod.put(podinfoFailing('6.5.0', '6.6.0', '2026-11-02T09:05:00Z'));
      journal.record('prod-eu', 'apps');
      await journal.flush();
      expect(failures.add).toHaveBeenCalledWith(1);
      expect(entries.add).toHaveBeenCalledTimes(1);

      // Nothing new, but the kept entry goes out with the next flush.
      await journal.flush();
      await journal.stop();
      expect(entries.add).toHaveBeenLastCalledWith(1);
      expect(entries.add).toHaveBeenCalledTimes(2);
      expect(evaluations.record).toHaveBeenCalledTimes(3);
      expect(writes.record).toHaveBeenCalledTimes(3);
      expect((await rows(knex)).map(e => e.state)).toEqual(['Ready', 'Failed']);
    });

    it('keeps what a cluster writes within the columns: long versions and reasons clipped, NUL characters dropped', async () => {
      const long = `6.6.0-${'x'.repeat(400)}`;
      const hr = podinfoFailing('6.5.0', long, '2026-11-02T09:05:00Z');
      hr.status!.conditions![0].reason = `Upgrade\u0000${'F'.repeat(400)}`;
      hr.status!.conditions![0].message = `boom\u0000${'m'.repeat(5000)}`;
      const { journal, logger } = await journalOfProdEu(knex, [repo(), hr]);
      await journal.flush();
      // Nothing changed: the clipped entry is what the journal remembers.
      journal.record('prod-eu', 'apps');
      await journal.flush();
      await journal.stop();
      expect(logger.warn).not.toHaveBeenCalled();
      const [entry, ...more] = await rows(knex);
      expect(more).toEqual([]);
      expect(entry.targetVersion).toHaveLength(255);
      expect(entry.targetVersion!.endsWith('…')).toBe(true);
      expect(entry.reason).toHaveLength(255);
      expect(entry.reason).toMatch(/^UpgradeF+…$/);
      expect(entry.summary!.length).toBeLessThanOrEqual(2000);
      expect(entry.summary).not.toContain('\u0000');
    });

    it('keeps what it cannot write while the database fails, says so once, and writes it all once it works', async () => {
      const { journal, logger, prod } = await failingInOutage(knex);
      prod.put(
        podinfo('6.6.0', '2026-11-02T09:10:00Z', '2026-11-02T09:11:00Z'),
      );
      journal.record('prod-eu', 'apps');
      await journal.flush();
      // Retries with nothing new.
      await journal.flush();
      await journal.flush();
      const cannot = logger.warn.mock.calls.filter(([m]) =>
        String(m).startsWith('Cannot write'),
      );
      expect(cannot).toHaveLength(1);
      // The driver's words, not knex's statement with every value in it.
      expect(cannot[0][0]).toMatch(
        /^Cannot write 1 promotion journal entries \((no such table: gitops_promotion_journal|relation "gitops_promotion_journal" does not exist)\); retrying with each flush, at most 10000 kept\. Check the plugin's database connection \(backend\.database\)\.$/,
      );

      await outage(knex, false);
      await journal.flush();
      await journal.stop();
      expect(logger.info).toHaveBeenCalledWith(
        'The promotion journal is written again',
      );
      expect((await rows(knex)).map(e => [e.state, e.version])).toEqual([
        ['Ready', '6.5.0'],
        ['Failed', '6.5.0'],
        ['Ready', '6.6.0'],
      ]);
    });

    it('writes a batch in its order: a change no time placed is kept before a later one saying the same', async () => {
      // A batch held through an outage: ArtifactFailed seen untimed, then
      // UpgradeFailed and ArtifactFailed again, timed by their objects.
      const store = await JournalStore.create(databaseService(knex));
      const podinfoAt = (at: string, reason: string) => ({
        cluster: 'prod-eu',
        kind: 'HelmRelease' as const,
        namespace: 'apps',
        name: 'podinfo',
        at: new Date(at),
        observedAt: new Date(at),
        state: 'Failed' as const,
        reason,
        version: '6.5.0',
      });
      await store.append([
        {
          ...podinfoAt('2026-11-02T09:00:00Z', 'ArtifactFailed'),
          untimedAfter: new Date('2026-11-01T10:00:00Z'),
        },
        podinfoAt('2026-11-02T09:05:00Z', 'UpgradeFailed'),
        podinfoAt('2026-11-02T09:10:00Z', 'ArtifactFailed'),
      ]);
      expect(
        (await rows(knex)).map(e => [e.at.toISOString(), e.reason]),
      ).toEqual([
        ['2026-11-02T09:00:00.000Z', 'ArtifactFailed'],
        ['2026-11-02T09:05:00.000Z', 'UpgradeFailed'],
        ['2026-11-02T09:10:00.000Z', 'ArtifactFailed'],
      ]);
    });

    it('tries what it could not write once more when it stops, and says what is lost', async () => {
      const { journal, logger } = await failingInOutage(knex);
      // Still out of reach when the backend stops.
      await journal.stop();
      await outage(knex, false);
      expect(logger.warn).toHaveBeenLastCalledWith(
        "The backend stops with 1 promotion journal entries it could not write; they are lost (the next start journals each workload's state then, not the changes in between)",
      );
      expect((await rows(knex)).map(e => e.state)).toEqual(['Ready']);
    });

    it('writes what it could not write when it stops, once the database is back', async () => {
      const { journal } = await failingInOutage(knex);
      await outage(knex, false);
      // Back before the next flush: the stop writes it.
      await journal.stop();
      expect((await rows(knex)).map(e => e.state)).toEqual(['Ready', 'Failed']);
    });

    it('journals the other workloads when one cannot be evaluated, and goes on with later changes', async () => {
      const broken = podinfo(
        '6.5.0',
        '2026-11-01T10:00:00Z',
        '2026-11-01T10:00:40Z',
      );
      broken.metadata.name = 'broken';
      // A bug anywhere in the rules stands for all: reading the object throws.
      Object.defineProperty(broken, 'status', {
        get: () => {
          throw new Error('unexpected shape');
        },
      });
      const { journal, logger, prod } = await journalOfProdEu(
        knex,
        [
          repo(),
          podinfo('6.5.0', '2026-11-01T10:00:00Z', '2026-11-01T10:00:40Z'),
        ],
        [broken],
      );
      await journal.flush();
      prod.put(podinfoFailing('6.5.0', '6.6.0', '2026-11-02T09:05:00Z'));
      journal.record('prod-eu', 'apps');
      await journal.flush();
      await journal.stop();
      expect((await rows(knex)).map(e => e.state)).toEqual(['Ready', 'Failed']);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          'Cannot journal HelmRelease apps/broken in prod-eu: unexpected shape',
        ),
      );
    });

    it('lists the newest entries of workloads read in several chunks, page after page', async () => {
      const store = await JournalStore.create(databaseService(knex));
      // 450 workloads: three reads of at most 200; entry i at minute i.
      const workloads = Array.from({ length: 450 }, (_, i) => ({
        cluster: `c${i % 3}`,
        kind: 'HelmRelease' as const,
        namespace: 'apps',
        name: `w${i}`,
      }));
      const at = (i: number) =>
        new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString();
      await store.append(
        workloads.map((w, i) => ({
          ...w,
          at: new Date(at(i)),
          observedAt: new Date(at(i)),
          state: 'Ready' as const,
          version: `1.0.${i}`,
        })),
      );
      const first = await store.list({ workloads, limit: 4 });
      expect(first.map(e => e.version)).toEqual([
        '1.0.449',
        '1.0.448',
        '1.0.447',
        '1.0.446',
      ]);
      const last = first[first.length - 1];
      const next = await store.list({
        workloads,
        limit: 3,
        after: { at: last.at, key: last.key },
      });
      expect(next.map(e => e.version)).toEqual([
        '1.0.445',
        '1.0.444',
        '1.0.443',
      ]);
    });

    it('reads from later chunks only the entries newer than those it holds', async () => {
      const store = await JournalStore.create(databaseService(knex));
      // The first chunk's workloads have the newest entries.
      const workloads = Array.from({ length: 450 }, (_, i) => ({
        cluster: 'c0',
        kind: 'HelmRelease' as const,
        namespace: 'apps',
        name: `w${i}`,
      }));
      await store.append(
        workloads.map((w, i) => ({
          ...w,
          at: new Date(Date.UTC(2026, 10, 1, 0, 450 - i)),
          observedAt: new Date(Date.UTC(2026, 10, 1, 0, 450 - i)),
          state: 'Ready' as const,
          version: `1.0.${i}`,
        })),
      );
      let rowsRead = 0;
      const count = (response: unknown) => {
        if (Array.isArray(response)) rowsRead += response.length;
      };
      knex.on('query-response', count);
      try {
        const page = await store.list({ workloads, limit: 5 });
        expect(page.map(e => e.version)).toEqual([
          '1.0.0',
          '1.0.1',
          '1.0.2',
          '1.0.3',
          '1.0.4',
        ]);
      } finally {
        knex.removeListener('query-response', count);
      }
      // 5 from the first chunk, none from the two others (15 before).
      expect(rowsRead).toBe(5);
    });

    it('deletes the last entry too of a workload its cluster no longer has, when the cluster can tell', async () => {
      const old = (name: string) => {
        const hr = podinfo(
          '6.5.0',
          '2025-01-01T10:00:00Z',
          '2025-01-01T10:00:40Z',
        );
        hr.metadata.name = name;
        return hr;
      };
      const prod = new TestCluster([repo(), old('podinfo'), old('preview-42')]);
      const staging = new TestCluster([repo(), old('preview-7')]);
      const journal = await startedJournal(
        knex,
        new Map([
          ['prod-eu', prod],
          ['staging-eu', staging],
        ]),
      );
      await journal.flush();
      const store = await JournalStore.create(databaseService(knex));
      const names = async () =>
        (await knex('gitops_promotion_journal').select('cluster', 'name'))
          .map(r => `${r.cluster}/${r.name}`)
          .sort();
      expect(await names()).toEqual([
        'prod-eu/podinfo',
        'prod-eu/preview-42',
        'staging-eu/preview-7',
      ]);
      // Both previews deleted; staging's data is stale: its absence proves nothing.
      prod.store.remove('HelmRelease', 'apps', 'preview-42');
      staging.store.remove('HelmRelease', 'apps', 'preview-7');
      staging.errors = [
        {
          cluster: 'staging-eu',
          type: 'UNREACHABLE',
          message: 'Cluster staging-eu is unreachable',
          since: '2026-12-01T00:00:00Z',
        },
      ];
      // A cluster no environment names any more (a preview cluster retired).
      await store.append([
        {
          cluster: 'preview-42-eu',
          kind: 'HelmRelease',
          namespace: 'apps',
          name: 'podinfo',
          at: new Date('2025-01-01T10:00:00Z'),
          observedAt: new Date('2025-01-01T10:00:00Z'),
          state: 'Ready',
          version: '6.5.0',
        },
      ]);
      const cutoff = new Date('2026-06-01T00:00:00Z');
      expect(await applyRetention(store, journal, cutoff)).toEqual({
        deleted: 2,
        removed: 2,
      });
      expect(await names()).toEqual([
        'prod-eu/podinfo',
        'staging-eu/preview-7',
      ]);
      // Forgotten: back again, it is journaled anew.
      prod.put(old('preview-42'));
      journal.record('prod-eu', 'apps');
      await journal.flush();
      await journal.stop();
      expect(await names()).toEqual([
        'prod-eu/podinfo',
        'prod-eu/preview-42',
        'staging-eu/preview-7',
      ]);
    });

    it('keeps an entry written while retention found its workload idle and gone', async () => {
      const store = await JournalStore.create(databaseService(knex));
      const workload = {
        cluster: 'prod-eu',
        kind: 'HelmRelease' as const,
        namespace: 'apps',
        name: 'preview-42',
      };
      const entry = (at: string) => ({
        ...workload,
        at: new Date(at),
        observedAt: new Date(at),
        state: 'Ready' as const,
        version: '1.0.0',
      });
      await store.append([entry('2025-01-01T10:00:00Z')]);
      // Back (another replica journals it) between the two steps of retention.
      const idleSince = store.idleSince.bind(store);
      jest.spyOn(store, 'idleSince').mockImplementation(async cutoff => {
        const idle = await idleSince(cutoff);
        await store.append([entry('2026-11-30T10:00:00Z')]);
        return idle;
      });
      const journal = { present: () => false, forget: () => {} };
      await applyRetention(store, journal, new Date('2026-06-01T00:00:00Z'));
      const left = await knex('gitops_promotion_journal').select('name', 'at');
      expect(left.map(r => [r.name, new Date(r.at).toISOString()])).toEqual([
        ['preview-42', '2026-11-30T10:00:00.000Z'],
      ]);
    });

    it('deletes entries past the retention but the newest of each workload', async () => {
      const store = await JournalStore.create(databaseService(knex));
      const workload = {
        cluster: 'prod-eu',
        kind: 'HelmRelease' as const,
        namespace: 'apps',
        name: 'podinfo',
      };
      const entry = (at: string, version: string): JournalEntry => ({
        ...workload,
        at: new Date(at),
        observedAt: new Date(at),
        state: 'Ready',
        version,
      });
      await store.append([
        entry('2025-01-01T00:00:00Z', '6.4.0'),
        entry('2025-02-01T00:00:00Z', '6.5.0'),
        entry('2026-11-01T00:00:00Z', '6.6.0'),
        { ...entry('2025-03-01T00:00:00Z', '1.0.0'), name: 'quiet' },
      ]);
      expect(await store.deleteBefore(new Date('2026-06-01T00:00:00Z'))).toBe(
        2,
      );
      expect((await rows(knex)).map(e => e.version)).toEqual(['6.6.0']);
      const quiet = await store.list({
        workloads: [{ ...workload, name: 'quiet' }],
        limit: 10,
      });
      expect(quiet.map(e => e.version)).toEqual(['1.0.0']);
    });
  });
});
