import {
  createServiceFactory,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { JsonObject } from '@backstage/types';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  decidingPermissions,
  demoConfig,
  startDemo,
  withFleet,
} from '../../__testUtils__/demoBackend';
import { DEMO_CLUSTERS } from '../../__testUtils__/demoObjects';

/** Waits until podinfo's cell in `environment` holds `clusters` clusters. */
async function settled(
  invoke: (name: string, input: JsonObject) => Promise<unknown>,
  environment: string,
  clusters: number,
) {
  for (let i = 0; ; i++) {
    const { output } = (await invoke('get-promotion-status', {
      entityRef: 'podinfo',
    })) as any;
    const cell = output.workloads[0].environments.find(
      (e: any) => e.environment === environment,
    );
    if (cell.totalClusters === clusters) return;
    if (i === 100) throw new Error(`${environment} never settled`);
    await new Promise(r => setTimeout(r, 20));
  }
}

/** The demo backend with a registry the test invokes, and a policy it sets. */
async function start(
  decide: (permission: string, resourceRef?: string) => boolean = () => true,
  config?: JsonObject,
) {
  const registry = actionsRegistryServiceMock();
  const auditEvents: Array<{ eventId: string; meta: any; status: string }> = [];
  const server = await startDemo(
    [
      createServiceFactory({
        service: actionsRegistryServiceRef,
        deps: {},
        factory: () => registry,
      }),
      decidingPermissions(decide),
      mockServices.auditor.mock({
        createEvent: (async (options: any) => {
          const record = (status: string) => async (p?: any) => {
            auditEvents.push({
              eventId: options.eventId,
              meta: { ...options.meta, ...p?.meta },
              status,
            });
          };
          await record('initiated')();
          return { success: record('succeeded'), fail: record('failed') };
        }) as any,
      }).factory,
    ],
    config,
  );
  const invoke = (
    name: string,
    input: JsonObject,
    credentials: BackstageCredentials = mockCredentials.user(),
  ) =>
    registry.list().then(({ actions }) =>
      registry.invoke({
        id: actions.find(a => a.name === name)!.id,
        input,
        credentials,
      }),
    );
  return { registry, invoke, auditEvents, server };
}

/**
 * The demo backend over the fixture clusters in `dir`, once every cluster
 * of `environment` answers, with the audit events of that wait dropped.
 */
async function startOn(
  dir: string,
  environments: Array<{ name: string; clusters: string[] }>,
  environment: string,
) {
  const started = await start(
    undefined,
    demoConfig({ environments, fixtures: { directory: dir } }),
  );
  const { clusters } = environments.find(e => e.name === environment)!;
  await settled(started.invoke, environment, clusters.length);
  started.auditEvents.length = 0;
  return started;
}

describe('actions', () => {
  it('registers the four actions with their attributes', async () => {
    const { registry } = await start();
    const { actions } = await registry.list();
    expect(actions.map(a => [a.name, a.attributes]).sort()).toEqual([
      [
        'explain-workload-failure',
        { destructive: false, idempotent: true, readOnly: true },
      ],
      [
        'get-promotion-status',
        { destructive: false, idempotent: true, readOnly: true },
      ],
      [
        'list-pending-promotions',
        { destructive: false, idempotent: true, readOnly: true },
      ],
      [
        'reconcile-workload',
        { destructive: false, idempotent: true, readOnly: false },
      ],
    ]);
  });

  describe('get-promotion-status', () => {
    it('answers versions per environment and pending promotions', async () => {
      const { invoke } = await start();
      const { output } = (await invoke('get-promotion-status', {
        entityRef: 'component:default/payments-api',
      })) as any;
      expect(output.entityRef).toBe('component:default/payments-api');
      const [w] = output.workloads;
      expect(
        w.environments.map(
          (e: any) => `${e.environment} ${e.state} ${e.version}`,
        ),
      ).toEqual([
        expect.stringMatching(/^sandbox /),
        'development Ready 2.4.0',
        'staging Ready 2.3.0',
        'production Ready 2.1.0',
      ]);
      expect(w.pendingPromotions).toEqual([
        expect.objectContaining({
          from: 'development',
          to: 'staging',
          behindBy: 1,
        }),
        expect.objectContaining({
          from: 'staging',
          to: 'production',
          behindBy: 2,
        }),
      ]);
    });

    it('names twenty clusters that never answered and counts the others', async () => {
      // Development: dev-eu and 24 clusters nobody listens for.
      const down = Array.from(
        { length: 24 },
        (_, i) => `dev-down-${String(i + 1).padStart(2, '0')}`,
      );
      const config = demoConfig({
        environments: [{ name: 'development', clusters: ['dev-eu', ...down] }],
      });
      (config.kubernetes as any).clusterLocatorMethods[0].clusters = down.map(
        name => ({
          name,
          url: 'https://127.0.0.1:1',
          authProvider: 'serviceAccount',
          serviceAccountToken: 'x',
          skipTLSVerify: true,
        }),
      );
      const { invoke } = await start(undefined, config);
      let output: any;
      for (let i = 0; ; i++) {
        ({ output } = (await invoke('get-promotion-status', {
          entityRef: 'payments-api',
        })) as any);
        if (output.clusterErrorsOmitted === 4) break;
        if (i === 200) throw new Error(JSON.stringify(output.clusterErrors));
        await new Promise(r => setTimeout(r, 25));
      }
      expect(output.clusterErrors.map((e: any) => e.cluster)).toEqual(
        down.slice(0, 20),
      );
      const [development] = output.workloads[0].environments;
      expect(development).toMatchObject({
        environment: 'development',
        totalClusters: 1,
        unavailableIn: down.slice(0, 20),
        unavailableOmitted: 4,
      });
    });

    it('is refused without gitops-promotion.view on the entity', async () => {
      const { invoke } = await start(p => p !== 'gitops-promotion.view');
      await expect(
        invoke('get-promotion-status', { entityRef: 'payments-api' }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          'Not allowed: gitops-promotion.view on component:default/payments-api',
      });
    });

    it('names bad input, unknown entities and entities without annotations', async () => {
      const { invoke } = await start();
      await expect(
        invoke('get-promotion-status', { entityRef: 'component:' }),
      ).rejects.toMatchObject({ name: 'InputError' });
      await expect(invoke('get-promotion-status', {})).rejects.toMatchObject({
        name: 'InputError',
      });
      // Parts the catalog would never hold: `..` would be a path segment of
      // the catalog's URL (GET /entities/by-name/component/../.. is the list
      // of every entity).
      for (const entityRef of ['component:../..', '..:default/x', 'a b']) {
        await expect(
          invoke('get-promotion-status', { entityRef }),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: `entityRef "${entityRef}" is not an entity ref; write component:namespace/name (letters, digits, '-', '_', '.'), for example component:default/shop, or just the name`,
        });
      }
      await expect(
        invoke('get-promotion-status', { entityRef: 'nope' }),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message: 'No entity component:default/nope in the catalog',
      });
      await expect(
        invoke('get-promotion-status', { entityRef: 'legacy-billing' }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          'component:default/legacy-billing has no gitops-promotion annotation',
        ),
      });
    });
  });

  describe('explain-workload-failure', () => {
    it('does not call a workload not deployed where no cluster answered', async () => {
      const { invoke } = await start(
        undefined,
        demoConfig({
          environments: [
            { name: 'development', clusters: ['dev-eu'] },
            // sandbox-carol never answers (demoConfig).
            { name: 'sandbox', clusters: ['sandbox-carol'] },
          ],
        }),
      );
      await settled(invoke, 'development', 1);
      const { output } = (await invoke('explain-workload-failure', {
        entityRef: 'podinfo',
        workload: 'podinfo',
        environment: 'sandbox',
      })) as any;
      expect(output.summary).toBe(
        'Release podinfo is in an unknown state in sandbox: no answer from sandbox-carol, so what runs there is not known',
      );
    });

    it('gives the root cause, the failing link with its conditions, and the commands', async () => {
      const asked: string[] = [];
      const { invoke, auditEvents } = await start(permission => {
        asked.push(permission);
        return true;
      });
      const { output } = (await invoke('explain-workload-failure', {
        entityRef: 'component:default/podinfo',
        workload: 'podinfo',
        environment: 'staging',
      })) as any;
      expect(output.state).toBe('Failed');
      expect(output.omittedClusters).toBeUndefined();
      const [c] = output.clusters;
      expect(c.cluster).toBe('staging-eu');
      expect(c.rootCause.category).toBe('authentication');
      expect(output.summary).toContain(
        'OCIRepository apps/kcd-podinfo cannot pull oci://quay.io/kubodoc/packages/podinfo:6.7.1-p02 (credentials rejected)',
      );
      expect(c.failingLink.object).toBe('OCIRepository apps/kcd-podinfo');
      expect(c.failingLink.conditions.length).toBeGreaterThan(0);
      expect(c.nextCommands.join('\n')).toContain('kubectl');
      // The events come through an audited read of the events alone: not
      // the object, so not its values either.
      expect(auditEvents).toContainEqual(
        expect.objectContaining({
          eventId: 'object-read',
          status: 'succeeded',
          meta: expect.objectContaining({ queryType: 'events' }),
        }),
      );
      expect(asked).not.toContain('gitops-promotion.values.read');
    });

    it('answers without the bidirectional controls a controller message carries', async () => {
      await withFleet({ 'staging-eu': ['staging-eu'] }, async dir => {
        // Every message and event of staging-eu's podinfo, written to read
        // "…EZIROHTUANU: access…" as "…UNAUTHORIZED…" reversed on screen.
        for (const file of ['podinfo.yaml', 'events.yaml']) {
          const yaml = path.join(dir, 'staging-eu', file);
          fs.writeFileSync(
            yaml,
            fs
              .readFileSync(yaml, 'utf8')
              .replaceAll('UNAUTHORIZED:', 'UNAUTH\u202EORIZED\u202C:'),
          );
        }
        const { invoke } = await startOn(
          dir,
          [{ name: 'staging', clusters: ['staging-eu'] }],
          'staging',
        );
        const answer = JSON.stringify(
          await invoke('explain-workload-failure', {
            entityRef: 'podinfo',
            workload: 'podinfo',
            environment: 'staging',
          }),
        );
        expect(answer).toContain('UNAUTHORIZED: access');
        expect(answer).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
      });
    });

    it('explains only the worst few of many failing clusters and names the others', async () => {
      // Staging as eight copies of staging-eu, where podinfo fails.
      const staging = Array.from({ length: 8 }, (_, i) => `staging-0${i + 1}`);
      await withFleet(
        { 'dev-eu': ['dev-eu'], 'staging-eu': staging },
        async dir => {
          const { invoke, auditEvents } = await startOn(
            dir,
            [
              { name: 'development', clusters: ['dev-eu'] },
              { name: 'staging', clusters: staging },
            ],
            'staging',
          );

          const { output } = (await invoke('explain-workload-failure', {
            entityRef: 'podinfo',
            workload: 'podinfo',
            environment: 'staging',
          })) as any;

          const explained = staging.slice(0, 5);
          // Worst first: all equally Failed, so by name.
          expect(output.clusters.map((c: any) => c.cluster)).toEqual(explained);
          expect(
            output.clusters.every((c: any) => c.failingLink.events.length > 0),
          ).toBe(true);
          const reads = auditEvents.filter(
            e => e.eventId === 'object-read' && e.status === 'initiated',
          );
          expect(reads.map(e => e.meta.cluster).sort()).toEqual(explained);
          expect(output.omittedClusters).toEqual({
            count: 3,
            names: ['staging-06', 'staging-07', 'staging-08'],
          });
          expect(output.unlistedClusters).toBeUndefined();
          expect(output.summary).toContain(
            '(and 3 more failing clusters, see omittedClusters)',
          );
          expect(output.summary).not.toContain('staging-06');
        },
      );
    });

    it('lists the failing clusters and twenty others, and counts the rest by state', async () => {
      // Development as 22 copies of dev-eu, where podinfo is Ready, and one
      // copy of staging-eu, where it fails.
      const ready = Array.from(
        { length: 22 },
        (_, i) => `dev-${String(i + 1).padStart(2, '0')}`,
      );
      await withFleet(
        { 'dev-eu': ready, 'staging-eu': ['dev-failing'] },
        async dir => {
          const development = [...ready, 'dev-failing'];
          const { invoke, auditEvents } = await startOn(
            dir,
            [{ name: 'development', clusters: development }],
            'development',
          );

          const { output } = (await invoke('explain-workload-failure', {
            entityRef: 'podinfo',
            workload: 'podinfo',
            environment: 'development',
          })) as any;

          // The failing one first, then the first twenty Ready by name.
          expect(output.clusters.map((c: any) => c.cluster)).toEqual([
            'dev-failing',
            ...ready.slice(0, 20),
          ]);
          expect(output.clusters[0].rootCause).toBeDefined();
          expect(output.clusters.slice(1).map((c: any) => c.state)).toEqual(
            Array(20).fill('Ready'),
          );
          expect(output.unlistedClusters).toEqual({
            count: 2,
            states: { Ready: 2 },
          });
          expect(output.omittedClusters).toBeUndefined();
          // Only the failing cluster is read.
          const reads = auditEvents.filter(
            e => e.eventId === 'object-read' && e.status === 'initiated',
          );
          expect(reads.map(e => e.meta.cluster)).toEqual(['dev-failing']);
        },
      );
    });

    it('names an unknown workload or environment, and refuses without the view permission', async () => {
      const { invoke } = await start();
      await expect(
        invoke('explain-workload-failure', {
          entityRef: 'podinfo',
          workload: 'nope',
          environment: 'staging',
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('has no workload "nope"'),
      });
      await expect(
        invoke('explain-workload-failure', {
          entityRef: 'podinfo',
          workload: 'podinfo',
          environment: 'qa',
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message:
          'Unknown environment "qa"; use one of sandbox, development, staging, production',
      });
      const denied = await start(() => false);
      await expect(
        denied.invoke('explain-workload-failure', {
          entityRef: 'podinfo',
          workload: 'podinfo',
          environment: 'staging',
        }),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
    });
  });

  describe('list-pending-promotions', () => {
    it('lists what waits, oldest first, for an owner and for everything viewable', async () => {
      const { invoke } = await start(
        (p, ref) =>
          p !== 'gitops-promotion.view' || ref !== 'component:default/ledger',
      );
      const all = (await invoke('list-pending-promotions', {})) as any;
      const refs = new Set(all.output.pending.map((p: any) => p.entityRef));
      expect(refs.has('component:default/payments-api')).toBe(true);
      // Not viewable: not listed.
      expect(refs.has('component:default/ledger')).toBe(false);
      const since = all.output.pending
        .map((p: any) => p.readyInFromSince)
        .filter(Boolean);
      expect(since).toEqual([...since].sort());

      const team = (await invoke('list-pending-promotions', {
        owner: 'team-payments',
      })) as any;
      expect(new Set(team.output.pending.map((p: any) => p.entityRef))).toEqual(
        new Set(['component:default/payments-api']),
      );
      expect(team.output.truncated).toBe(false);
      const none = (await invoke('list-pending-promotions', {
        system: 'system:default/nothing',
      })) as any;
      expect(none.output).toEqual({
        pending: [],
        entitiesChecked: 0,
        unavailable: [],
        truncated: false,
      });
    });

    it("follows an owner's child groups, as the Group overview does", async () => {
      const { invoke, server } = await start();
      // engineering owns nothing itself: its teams own the components.
      const { output } = (await invoke('list-pending-promotions', {
        owner: 'group:default/engineering',
      })) as any;
      const refs = new Set(output.pending.map((p: any) => p.entityRef));
      expect(refs.has('component:default/payments-api')).toBe(true);
      const overview = await request(server).get(
        '/api/gitops-promotion/v1/entities/default/group/engineering/overview',
      );
      expect(overview.status).toBe(200);
      expect(refs).toEqual(
        new Set(
          overview.body.rows
            .filter((r: any) => r.pendingIn.length > 0)
            .map((r: any) => r.entityRef),
        ),
      );
      expect(output.entitiesChecked).toBe(overview.body.entitiesChecked);

      const inSystem = (await invoke('list-pending-promotions', {
        owner: 'engineering',
        system: 'commerce',
      })) as any;
      expect(inSystem.output.pending).toEqual(output.pending);
      // Entity names are case-insensitive, as the catalog's filter without an owner treats them.
      const cased = (await invoke('list-pending-promotions', {
        owner: 'engineering',
        system: 'Commerce',
      })) as any;
      expect(cased.output.pending).toEqual(output.pending);
      const elsewhere = (await invoke('list-pending-promotions', {
        owner: 'engineering',
        system: 'system:default/nothing',
      })) as any;
      // The counts are of what was read for the system, not the whole group.
      expect(elsewhere.output).toEqual({
        pending: [],
        entitiesChecked: 0,
        unavailable: [],
        truncated: false,
      });
      expect(inSystem.output.entitiesChecked).toBeGreaterThan(0);
    });

    it('names a bad owner ref', async () => {
      const { invoke } = await start();
      await expect(
        invoke('list-pending-promotions', { owner: 'group:' }),
      ).rejects.toMatchObject({ name: 'InputError' });
      await expect(
        invoke('list-pending-promotions', { system: '../locations' }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/^system "\.\.\/locations" is not/),
      });
    });
  });

  describe('reconcile-workload', () => {
    it('requests a reconcile of the source and the workload, audited as the route', async () => {
      const { invoke, auditEvents } = await start();
      const { output } = (await invoke('reconcile-workload', {
        entityRef: 'payments-api',
        workload: 'payments-api',
        environment: 'development',
      })) as any;
      expect(output.failed).toEqual([]);
      expect(output.requested.map((r: any) => r.message)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^Requested a reconcile of HelmRelease payments\/payments-api in cluster dev-eu\.$/,
          ),
        ]),
      );
      // Every found link of the chain, sources first, as flux reconcile --with-source.
      expect(output.requested.map((r: any) => r.object)).toEqual([
        'HelmRepository flux-system/payments-charts',
        'HelmChart flux-system/payments-payments-api',
        'HelmRelease payments/payments-api',
      ]);
      const succeeded = auditEvents.filter(
        e => e.eventId === 'object-action' && e.status === 'succeeded',
      );
      // One per object, and the request as asked.
      expect(succeeded).toHaveLength(output.requested.length + 1);
      expect(succeeded[succeeded.length - 1].meta).toMatchObject({
        queryType: 'reconcile-workload',
        entityRef: 'payments-api',
        workload: 'payments-api',
        environment: 'development',
        requested: output.requested.length,
        failed: 0,
      });
      // No request to read the actor from: the audit event names it.
      expect(
        auditEvents.find(e => e.eventId === 'object-action')!.meta,
      ).toMatchObject({
        actor: { type: 'user', ref: 'user:default/mock' },
      });
    });

    it('acts on ten clusters at most: past that it asks for one, naming the failing ones, and patches nothing', async () => {
      // Staging as eleven copies of staging-eu, where podinfo fails.
      const staging = Array.from(
        { length: 11 },
        (_, i) => `staging-${String(i + 1).padStart(2, '0')}`,
      );
      await withFleet({ 'staging-eu': staging }, async dir => {
        const { invoke, auditEvents } = await startOn(
          dir,
          [{ name: 'staging', clusters: staging }],
          'staging',
        );
        const input = {
          entityRef: 'podinfo',
          workload: 'podinfo',
          environment: 'staging',
        };
        await expect(invoke('reconcile-workload', input)).rejects.toThrow(
          'Release podinfo runs in 11 clusters of staging; reconcile-workload acts on 10 at most: name one with cluster (failing: staging-01, staging-02, staging-03, staging-04, staging-05, staging-06, staging-07, staging-08, staging-09, staging-10 and 1 more)',
        );
        // The request is audited as refused; no object was acted on.
        expect(
          auditEvents.map(e => `${e.meta.queryType ?? 'object'} ${e.status}`),
        ).toEqual([
          'reconcile-workload initiated',
          'reconcile-workload failed',
        ]);
        const { output } = (await invoke('reconcile-workload', {
          ...input,
          cluster: 'staging-11',
        })) as any;
        expect(output.requested.map((r: any) => r.cluster)).toEqual(
          Array(output.requested.length).fill('staging-11'),
        );
        expect(output.requested.length).toBeGreaterThan(0);
      });
    });

    it('is refused without gitops-promotion.reconcile, and for a service principal', async () => {
      const { invoke, auditEvents } = await start(
        p => p !== 'gitops-promotion.reconcile',
      );
      const input = {
        entityRef: 'payments-api',
        workload: 'payments-api',
        environment: 'development',
      };
      await expect(invoke('reconcile-workload', input)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          'Not allowed: gitops-promotion.reconcile on component:default/payments-api',
      });
      // Refused once, as asked: no object tried, none audited on its own.
      const asked = (events: typeof auditEvents) =>
        events.map(e => `${e.meta.queryType ?? 'object'} ${e.status}`);
      expect(asked(auditEvents)).toEqual([
        'reconcile-workload initiated',
        'reconcile-workload failed',
      ]);
      // Refused before any object is asked (no view permission): audited too.
      const blind = await start(p => p !== 'gitops-promotion.view');
      await expect(
        blind.invoke('reconcile-workload', input),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      expect(blind.auditEvents).toEqual([
        expect.objectContaining({
          eventId: 'object-action',
          status: 'initiated',
          meta: expect.objectContaining({ queryType: 'reconcile-workload' }),
        }),
        expect.objectContaining({ eventId: 'object-action', status: 'failed' }),
      ]);
      const allowed = await start();
      await expect(
        allowed.invoke('reconcile-workload', input, mockCredentials.service()),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          'Actions are taken only for a signed-in user',
        ),
      });
      expect(asked(allowed.auditEvents)).toEqual([
        'reconcile-workload initiated',
        'reconcile-workload failed',
      ]);
    });

    it('says there is nothing to reconcile when a Release has no child yet', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-alone-'));
      try {
        // The Release alone, as before KuboCD created its Flux objects.
        const source = fs.readFileSync(
          path.join(DEMO_CLUSTERS, 'staging-eu', 'podinfo.yaml'),
          'utf8',
        );
        fs.mkdirSync(path.join(dir, 'staging-eu'));
        fs.writeFileSync(
          path.join(dir, 'staging-eu', 'podinfo.yaml'),
          source.split('\n---\n')[1],
        );
        // dev-eu as it is: the demo backend waits for payments-api there.
        fs.cpSync(
          path.join(DEMO_CLUSTERS, 'dev-eu'),
          path.join(dir, 'dev-eu'),
          {
            recursive: true,
          },
        );
        const { invoke, auditEvents } = await start(
          undefined,
          demoConfig({
            environments: [
              { name: 'development', clusters: ['dev-eu'] },
              { name: 'staging', clusters: ['staging-eu'] },
            ],
            fixtures: { directory: dir },
          }),
        );
        await expect(
          invoke('reconcile-workload', {
            entityRef: 'podinfo',
            workload: 'podinfo',
            environment: 'staging',
          }),
        ).rejects.toMatchObject({
          name: 'InputError',
          message:
            "No object of Release podinfo's chain was found in staging-eu: nothing to reconcile; see explain-workload-failure",
        });
        expect(auditEvents.at(-1)).toMatchObject({
          eventId: 'object-action',
          status: 'failed',
        });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('does not try the links outside the environment’s namespaces, and refused everywhere gives the workload’s refusal', async () => {
      // development is the payments namespace of dev-eu: the shared
      // HelmRepository and HelmChart in flux-system are out of bounds.
      const config = demoConfig({
        environments: [
          {
            name: 'development',
            clusters: [{ cluster: 'dev-eu', namespaces: ['payments'] }],
          },
        ],
      });
      const input = {
        entityRef: 'payments-api',
        workload: 'payments-api',
        environment: 'development',
      };
      const objectEvents = (
        events: Array<{ eventId: string; meta: any; status: string }>,
      ) =>
        events.filter(
          e => e.eventId === 'object-action' && e.meta.queryType === undefined,
        );
      const { invoke, auditEvents } = await start(undefined, config);
      const { output } = (await invoke('reconcile-workload', input)) as any;
      expect(output.requested.map((r: any) => r.object)).toEqual([
        'HelmRelease payments/payments-api',
      ]);
      expect(output.failed).toEqual([]);
      expect(output.skipped).toEqual([
        {
          cluster: 'dev-eu',
          object: 'HelmRepository flux-system/payments-charts',
          reason:
            'out of bounds: flux-system is not a namespace of environment development in cluster dev-eu',
        },
        {
          cluster: 'dev-eu',
          object: 'HelmChart flux-system/payments-payments-api',
          reason:
            'out of bounds: flux-system is not a namespace of environment development in cluster dev-eu',
        },
      ]);
      // Only the object tried is audited.
      expect(
        objectEvents(auditEvents).map(e => `${e.meta.name} ${e.status}`),
      ).toEqual(['payments-api initiated', 'payments-api succeeded']);

      // The policy refuses the workload too: its refusal is the answer,
      // not the out-of-bounds source's.
      const denied = await start(
        p => p !== 'gitops-promotion.object.reconcile',
        config,
      );
      await expect(
        denied.invoke('reconcile-workload', input),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          'The permission policy does not allow gitops-promotion.object.reconcile on HelmRelease payments/payments-api in cluster dev-eu (environment development)',
      });
      expect(
        objectEvents(denied.auditEvents).map(e => `${e.meta.name} ${e.status}`),
      ).toEqual(['payments-api initiated', 'payments-api failed']);
      // Refused on its sources too (an environment of whole clusters): the
      // workload's refusal still comes first.
      const everywhere = await start(
        p => p !== 'gitops-promotion.object.reconcile',
      );
      await expect(
        everywhere.invoke('reconcile-workload', input),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          'The permission policy does not allow gitops-promotion.object.reconcile on HelmRelease payments/payments-api in cluster dev-eu (environment development)',
      });
      expect(objectEvents(everywhere.auditEvents)).toHaveLength(6);
    });

    it('asks each object once, and counts clusters, not namespaces, against the cap', async () => {
      // Six copies of dev-eu, each running ledger in finance and in
      // finance-b: twelve cells of six clusters, both HelmReleases on the
      // same HelmChart and HelmRepository in flux-system.
      const development = Array.from({ length: 6 }, (_, i) => `dev-0${i + 1}`);
      await withFleet({ 'dev-eu': development }, async dir => {
        const ledger = fs
          .readFileSync(
            path.join(DEMO_CLUSTERS, 'dev-eu', 'ledger.yaml'),
            'utf8',
          )
          .split('\n---\n')[1]
          .replace('  namespace: finance\n', '  namespace: finance-b\n')
          .replace(/uid: .*/, 'uid: 0b7a1d54-6f0e-4d38-9a55-3f1c2b3d4e5f');
        for (const cluster of development) {
          fs.writeFileSync(
            path.join(dir, cluster, 'ledger-b.yaml'),
            `---\n${ledger}`,
          );
        }
        const { invoke, auditEvents } = await startOn(
          dir,
          [{ name: 'development', clusters: development }],
          'development',
        );
        const input = {
          entityRef: 'ledger',
          workload: 'ledger',
          environment: 'development',
        };
        const inOne = (await invoke('reconcile-workload', {
          ...input,
          cluster: 'dev-01',
        })) as any;
        expect(inOne.output.requested.map((r: any) => r.object)).toEqual([
          'HelmRepository flux-system/ledger-charts',
          'HelmChart flux-system/finance-ledger',
          'HelmRelease finance-b/ledger',
          'HelmRelease finance/ledger',
        ]);
        auditEvents.length = 0;
        const { output } = (await invoke('reconcile-workload', input)) as any;
        expect(output.failed).toEqual([]);
        const asked = output.requested.map(
          (r: any) => `${r.cluster} ${r.object}`,
        );
        expect(asked).toEqual(
          development.flatMap(cluster => [
            `${cluster} HelmRepository flux-system/ledger-charts`,
            `${cluster} HelmChart flux-system/finance-ledger`,
            `${cluster} HelmRelease finance-b/ledger`,
            `${cluster} HelmRelease finance/ledger`,
          ]),
        );
        const patched = auditEvents.filter(
          e =>
            e.eventId === 'object-action' &&
            e.status === 'succeeded' &&
            e.meta.queryType === undefined,
        );
        expect(patched).toHaveLength(asked.length);
      });
    });

    it('names a cluster the workload does not run in', async () => {
      const { invoke } = await start();
      await expect(
        invoke('reconcile-workload', {
          entityRef: 'payments-api',
          workload: 'payments-api',
          environment: 'development',
          cluster: 'prod-eu',
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('does not run in cluster "prod-eu"'),
      });
    });
  });
});
