/*
 * What the integration tests share: the backend plugin started by
 * startTestBackend against real control planes (packages/kube-testbed), and
 * a poll of its HTTP API. Nothing is mocked between the plugin and the API
 * servers; only the catalog, auth and config are Backstage's test services.
 */
import path from 'node:path';
import request from 'supertest';
import { getCell, getObject } from '../../__testUtils__/routes';
import { Entity } from '@backstage/catalog-model';
import {
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import {
  CellDetail,
  ClusterCell,
  EnvironmentCell,
  ObjectDetails,
  PromotionView,
  PromotionViewSummary,
  WorkloadRow,
} from '@gitops-promotion/backstage-plugin-common';
import {
  AuditEvent,
  ControlPlane,
  kubeBinaries,
  TestbedTokens,
} from '@internal/kube-testbed';
import { gitopsPromotionPlugin } from '../../plugin';
import { DEMO_CLUSTERS } from '../../__testUtils__/demoObjects';
import { NotificationsUnderTest } from '../../__testUtils__/notifications';
import { pluginDatabase } from '../../__testUtils__/testDatabases';

// Real processes: a control plane starts in 3-10 s on 2 cores, and a test
// waits for the plugin to resync after restarts.
export const TIMEOUT_MS = 120_000;

/** examples/clusters/<cluster>: the demo fixtures, as `kubectl get -o yaml` prints them. */
export const fixtures = (cluster: string) => path.join(DEMO_CLUSTERS, cluster);

/**
 * Fails with build.sh's hint (never skips) when kube-apiserver or etcd is
 * missing; startControlPlane would too, this just says it first.
 */
export function requireBinaries() {
  kubeBinaries();
}

/** A Component entity with the given annotations. */
export function component(
  name: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-test' },
  };
}

/** A cluster entry: a control plane, read as one of its users (reader by default). */
export interface ClusterUnderTest {
  cp: ControlPlane;
  as?: keyof TestbedTokens;
  /** Where the backend reaches it, when not at its own url (e.g. a proxy). */
  url?: string;
}

export interface BackendOptions {
  /** Environments in promotion order; each cluster is named after its control plane. */
  environments: Array<{ name: string; clusters: ClusterUnderTest[] }>;
  entities: Entity[];
  /** gitopsPromotion.watch overrides. */
  watch?: Record<string, number | { seconds?: number; milliseconds?: number }>;
  /** Receives the signals the plugin publishes. */
  signals?: SignalPayload[];
  /**
   * Records the notifications the plugin sends (every environment
   * notifying failures, after 1 s); without it, notifications are off.
   */
  notifications?: NotificationsUnderTest;
}

/**
 * Starts the backend plugin with the clusters in
 * kubernetes.clusterLocatorMethods (url, serviceAccountToken, caData), as a
 * portal configures them, and short reconnect backoffs.
 */
export async function startBackend(
  options: BackendOptions,
): Promise<TestBackend> {
  const clusters = options.environments.flatMap(env => env.clusters);
  return startTestBackend({
    features: [
      gitopsPromotionPlugin,
      pluginDatabase(),
      catalogServiceMock.factory({ entities: options.entities }),
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({
          async publish(signal: SignalPayload<any>) {
            options.signals?.push(signal);
          },
        }),
      }),
      ...(options.notifications?.features() ?? []),
      // 'warn' prints every reconnect of the restart tests; use it to debug.
      mockServices.rootLogger.factory({ level: 'error' }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: clusters.map(({ cp, as = 'reader', url }) => ({
                  name: cp.name,
                  url: url ?? cp.url,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: cp.tokens[as],
                  caData: cp.caData,
                })),
              },
            ],
          },
          gitopsPromotion: {
            environments: options.environments.map(env => ({
              name: env.name,
              clusters: env.clusters.map(c => c.cp.name),
              ...(options.notifications ? { notify: 'failures' } : {}),
            })),
            notifications: options.notifications
              ? { delay: { seconds: 1 } }
              : { enabled: false },
            watch: {
              initialBackoff: { milliseconds: 200 },
              maxBackoff: { seconds: 2 },
              requestTimeout: { seconds: 10 },
              ...options.watch,
            },
          },
        },
      }),
    ],
  });
}

/** A page view with every cell as the drill-down gets it. */
export type AssembledView = PromotionView &
  Pick<PromotionViewSummary, 'linkedNamespaces'>;

/**
 * GET /api/gitops-promotion/v1/entities/default/component/<name>/promotion,
 * then GET …/cells/<environment>/<workload> for each of its cells: the
 * page view with every cell's clusters and chains, through both routes.
 */
export async function getView(
  backend: TestBackend,
  entity: string,
): Promise<AssembledView> {
  const res = await request(backend.server).get(
    `/api/gitops-promotion/v1/entities/default/component/${entity}/promotion`,
  );
  if (res.status !== 200) {
    throw new Error(
      `promotion view of ${entity}: ${res.status} ${JSON.stringify(res.body)}`,
    );
  }
  const summary = res.body as PromotionViewSummary;
  const workloads = await Promise.all(
    summary.workloads.map(async summaryRow => ({
      ...summaryRow,
      cells: await Promise.all(
        summaryRow.cells.map(async ({ environment }) => {
          const cell = await getCell(
            backend.server,
            entity,
            environment,
            summaryRow.id,
          );
          if (cell.status !== 200) {
            throw new Error(
              `cell ${environment} ${summaryRow.id} of ${entity}: ${
                cell.status
              } ${JSON.stringify(cell.body)}`,
            );
          }
          return (cell.body as CellDetail).cell;
        }),
      ),
    })),
  );
  return { ...summary, workloads };
}

/**
 * Retries `check` (which asserts with expect) until it passes, and returns
 * its result with the time it took. On timeout, fails with check's last
 * assertion error, so the report shows what was still wrong.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 20_000, intervalMs = 25 } = {},
): Promise<{ value: T; elapsedMs: number }> {
  const started = Date.now();
  for (;;) {
    try {
      const value = await check();
      return { value, elapsedMs: Date.now() - started };
    } catch (error) {
      if (Date.now() - started > timeoutMs) {
        throw error;
      }
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

/** Polls the promotion view until `check` passes (see eventually). */
export async function waitForView(
  backend: TestBackend,
  entity: string,
  check: (view: AssembledView) => void,
  options?: { timeoutMs?: number; intervalMs?: number },
): Promise<{ view: AssembledView; elapsedMs: number }> {
  const { value, elapsedMs } = await eventually(async () => {
    const view = await getView(backend, entity);
    check(view);
    return view;
  }, options);
  return { view: value, elapsedMs };
}

/** The plural and query of a request the audit log recorded. */
export function auditRequest(event: AuditEvent) {
  const url = new URL(event.requestURI, 'https://audit');
  return {
    verb: event.verb,
    resource: event.objectRef?.resource,
    query: Object.fromEntries(url.searchParams),
    code: event.responseStatus?.code,
    stage: event.stage,
  };
}

/** The row of a workload (kind/name), failing with the rows there are. */
export function row(view: PromotionView, id: string): WorkloadRow {
  const found = view.workloads.find(w => w.id === id);
  if (!found) {
    throw new Error(
      `no row ${id} in the view of ${view.entityRef}; rows: ${
        view.workloads.map(w => w.id).join(', ') || 'none'
      }; cluster errors: ${JSON.stringify(view.clusterErrors)}`,
    );
  }
  return found;
}

export function envCell(
  view: PromotionView,
  id: string,
  environment: string,
): EnvironmentCell {
  return row(view, id).cells.find(c => c.environment === environment)!;
}

/** The cell of one cluster, failing when the workload is not seen there. */
export function clusterCell(
  view: PromotionView,
  id: string,
  environment: string,
): ClusterCell {
  const cell = envCell(view, id, environment);
  if (cell.clusters.length !== 1) {
    throw new Error(
      `${id} in ${environment}: expected one cluster cell, got ${JSON.stringify(
        cell,
      )}`,
    );
  }
  return cell.clusters[0];
}

/**
 * GET the object endpoint for the link of `kind` in a cell's chain: the
 * object in full and its events, as the drill-down reads them.
 */
export async function linkDetails(
  backend: TestBackend,
  entity: string,
  cell: ClusterCell,
  kind: string,
): Promise<ObjectDetails> {
  const link = cell.chain.find(l => l.ref.kind === kind);
  if (!link) {
    throw new Error(
      `no ${kind} in the chain: ${cell.chain.map(l => l.ref.kind).join(', ')}`,
    );
  }
  const { namespace, name } = link.ref;
  const res = await getObject(backend.server, entity, link.ref);
  if (res.status !== 200) {
    throw new Error(
      `object ${kind} ${namespace}/${name}: ${res.status} ${JSON.stringify(
        res.body,
      )}`,
    );
  }
  return res.body;
}

/** Stops one thing (a backend, a control plane, a proxy); undefined when it never started. */
export type Stop = () => unknown;

/**
 * For afterAll: runs each step in order (a step's array of stops runs
 * together) and goes on after one throws, so a backend whose stop fails
 * still leaves no control plane or Flux process running; rethrows the first
 * error once everything ran.
 */
export async function stopAll(...steps: Array<Stop | Stop[]>): Promise<void> {
  const errors: unknown[] = [];
  for (const step of steps) {
    const results = await Promise.allSettled(
      (Array.isArray(step) ? step : [step]).map(async stop => stop()),
    );
    for (const result of results) {
      if (result.status === 'rejected') {
        errors.push(result.reason);
      }
    }
  }
  if (errors.length > 0) {
    throw errors[0];
  }
}
