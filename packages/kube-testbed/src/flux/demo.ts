import { asAdmin } from '../auth';
import { withKubeClient } from '../kubeClient';
import { API_VERSIONS, applyObjects } from '../seed';
import { kuboCdPackage, packageChart } from './archives';
import { REGISTRY_PULL_CREDENTIALS } from './registry';
import { FluxTestbed, SOURCE_CREDENTIALS } from './testbed';
import {
  configMapChart,
  configMapManifest,
  gitWorkload,
  helmWorkload,
  kuboCdRelease,
} from './workloads';

/** A scenario command used the wrong way: the message says how. */
export class UsageError extends Error {}

/**
 * The demo portal's services (examples/entities.yaml) as real Flux and
 * KuboCD objects on four clusters, and the scenario commands that act on
 * their sources (`cli.ts up --flux`, `scripts/start.sh --local-clusters`).
 * Intervals and retry timing are Flux's defaults: what a person watching the
 * tab sees is when Flux notices, as on a real cluster.
 */

export const DEMO_CLUSTERS = [
  'sandbox',
  'development',
  'staging',
  'production',
] as const;
export type DemoCluster = (typeof DEMO_CLUSTERS)[number];

/** What differs between the environments. */
const ENVIRONMENTS: Record<
  DemoCluster,
  {
    podinfo: string;
    payments: string;
    /** ledger's database host; development forgets it (the chart requires it). */
    ledgerDatabase?: string;
    /** web-frontend's fqdn; staging forgets it (the package's chart requires it). */
    webFqdn?: string;
  }
> = {
  sandbox: {
    podinfo: '6.7.1-p03',
    payments: '2.4.0',
    ledgerDatabase: 'ledger-db.sandbox',
    webFqdn: 'web.sandbox.example.internal',
  },
  development: {
    podinfo: '6.7.1-p02',
    payments: '2.3.0',
    webFqdn: 'web.development.example.internal',
  },
  staging: {
    podinfo: '6.7.1-p02',
    payments: '2.3.0',
    ledgerDatabase: 'ledger-db.staging',
  },
  production: {
    podinfo: '6.7.1-p01',
    payments: '2.1.0',
    ledgerDatabase: 'ledger-db.production',
    webFqdn: 'web.example.com',
  },
};

const PODINFO_CHARTS: Record<string, string> = {
  '6.7.1-p01': '6.7.1',
  '6.7.1-p02': '6.7.2',
  '6.7.1-p03': '6.7.3',
};

/** The podinfo package at `tag`, its chart `podinfo` at `chartVersion`. */
export const podinfoPackage = (tag: string, chartVersion: string) =>
  kuboCdPackage({
    name: 'podinfo',
    tag,
    modules: {
      main: {
        chart: configMapChart({ name: 'podinfo', version: chartVersion }),
      },
    },
  });

/** The web-frontend package 2.4.0-p01: its chart requires an `fqdn` value (a Release parameter). */
export const webFrontendPackage = () =>
  kuboCdPackage({
    name: 'web-frontend',
    tag: '2.4.0-p01',
    modules: {
      main: {
        chart: configMapChart({
          name: 'web-frontend',
          version: '2.4.0',
          required: ['fqdn'],
        }),
      },
    },
  });

const inventoryManifests = (cluster: string, version: string) => ({
  [`deploy/${cluster}/configmap.yaml`]: configMapManifest('inventory-service', {
    version,
    environment: cluster,
  }),
});

/** Publishes what the demo's objects fetch: commits, charts and packages. */
export async function publishDemoSources(testbed: FluxTestbed) {
  const { git, helm, registry } = testbed.sources;
  await git.commit(
    'inventory-service',
    Object.assign({}, ...DEMO_CLUSTERS.map(c => inventoryManifests(c, '1'))),
    'inventory-service: manifests of every environment',
  );
  for (const repo of ['payments', 'ledger', 'notify']) {
    helm.setCredentials(repo, SOURCE_CREDENTIALS.helm);
  }
  for (const version of ['2.1.0', '2.3.0', '2.4.0']) {
    helm.publish(
      'payments',
      packageChart(configMapChart({ name: 'payments-api', version })),
    );
  }
  helm.publish(
    'ledger',
    packageChart(
      configMapChart({
        name: 'ledger',
        version: '1.8.0',
        required: ['databaseHost'],
      }),
    ),
  );
  helm.publish(
    'notify',
    packageChart(
      configMapChart({ name: 'notification-service', version: '0.9.4' }),
    ),
  );
  for (const [tag, chart] of Object.entries(PODINFO_CHARTS)) {
    await registry.push('packages/podinfo', tag, podinfoPackage(tag, chart));
  }
  await registry.push(
    'packages/web-frontend',
    '2.4.0-p01',
    webFrontendPackage(),
  );
}

/** Creates the demo's Flux and KuboCD objects in one cluster. */
export async function deployDemo(testbed: FluxTestbed, cluster: DemoCluster) {
  const { git, helm, registry } = testbed.sources;
  const env = ENVIRONMENTS[cluster];
  const charts = (repo: string) => ({
    repositoryName: `${repo}-charts`,
    url: helm.repositoryUrl(repo),
    credentials: SOURCE_CREDENTIALS.helm,
  });
  await applyObjects(testbed.cluster(cluster).cp, [
    ...kuboCdRelease({
      namespace: 'apps',
      name: 'podinfo',
      description: 'Podinfo demo web application',
      registryHost: registry.host,
      repository: 'packages/podinfo',
      tag: env.podinfo,
      credentials: REGISTRY_PULL_CREDENTIALS,
    }),
    ...kuboCdRelease({
      namespace: 'web',
      name: 'web-frontend',
      registryHost: registry.host,
      repository: 'packages/web-frontend',
      tag: '2.4.0-p01',
      credentials: REGISTRY_PULL_CREDENTIALS,
      parameters: env.webFqdn ? { fqdn: env.webFqdn } : {},
    }),
    ...helmWorkload({
      ...charts('payments'),
      namespace: 'payments',
      name: 'payments-api',
      chart: 'payments-api',
      version: env.payments,
    }),
    ...helmWorkload({
      ...charts('ledger'),
      namespace: 'finance',
      name: 'ledger',
      chart: 'ledger',
      version: '1.8.x',
      labels: { 'app.kubernetes.io/name': 'ledger' },
      values: env.ledgerDatabase ? { databaseHost: env.ledgerDatabase } : {},
    }),
    // Development takes every new chart, with one remediation retry.
    ...helmWorkload({
      ...charts('notify'),
      namespace: 'notify',
      name: 'notification-service',
      chart: 'notification-service',
      version: cluster === 'development' ? '>=0.9.0' : '0.9.4',
      labels: { 'backstage.io/kubernetes-id': 'notification-service' },
      spec: { upgrade: { remediation: { retries: 1 } } },
    }),
    ...gitWorkload({
      namespace: 'flux-system',
      name: 'inventory-service',
      url: git.repositoryUrl('inventory-service'),
      path: `./deploy/${cluster}`,
      credentials: SOURCE_CREDENTIALS.git,
      targetNamespace: 'default',
    }),
  ]);
}

const WRONG = { username: 'flux', password: 'rotated-by-someone-else' };

/** The scenario commands of the demo. */
export const SCENARIOS = [
  'push-package',
  'promote',
  'registry-credentials',
  'git-credentials',
  'git-server',
  'git-push',
  'helm-credentials',
  'helm-server',
  'push-chart',
];

export interface ScenarioRequest {
  name: string;
  args: string[];
  cluster?: string;
}

/** A scenario command of the demo, acting on a source; resolves to what it did. */
export async function runDemoScenario(
  testbed: FluxTestbed,
  request: ScenarioRequest,
): Promise<string> {
  const { git, helm, registry } = testbed.sources;
  const [arg] = request.args;
  const cluster = (request.cluster ?? 'development') as DemoCluster;
  const toggle = (on: () => unknown, off: () => unknown, words: string[]) => {
    if (arg === words[0]) return on();
    if (arg === words[1]) return off();
    throw new UsageError(`usage: scenario ${request.name} ${words.join('|')}`);
  };
  switch (request.name) {
    case 'git-credentials':
      await toggle(
        () => git.setCredentials(WRONG),
        () => git.setCredentials(SOURCE_CREDENTIALS.git),
        ['reject', 'accept'],
      );
      return `the git server ${
        arg === 'reject' ? 'rejects' : 'accepts'
      } the clusters' credentials`;
    case 'git-server':
      await toggle(
        () => git.stop(),
        () => git.start(),
        ['stop', 'start'],
      );
      return `the git server is ${arg === 'stop' ? 'down' : 'up'}`;
    case 'git-push': {
      const changes: Record<string, Record<string, string | null>> = {
        'invalid-manifest': {
          [`deploy/${cluster}/extra.yaml`]: configMapManifest(
            'Inventory_Extra!',
            { broken: 'true' },
          ),
        },
        'missing-path': { [`deploy/${cluster}`]: null },
        fix: {
          [`deploy/${cluster}/extra.yaml`]: null,
          ...inventoryManifests(cluster, String(Date.now())),
        },
      };
      const files = changes[arg ?? ''];
      if (!files) {
        throw new UsageError(
          'usage: scenario git-push invalid-manifest|missing-path|fix [--cluster name]',
        );
      }
      const sha = await git.commit(
        'inventory-service',
        files,
        `${arg} (${cluster})`,
      );
      return `pushed ${sha.slice(
        0,
        7,
      )} (${arg}) for deploy/${cluster} of inventory-service`;
    }
    case 'helm-credentials':
      toggle(
        () =>
          ['payments', 'ledger', 'notify'].forEach(r =>
            helm.setCredentials(r, WRONG),
          ),
        () =>
          ['payments', 'ledger', 'notify'].forEach(r =>
            helm.setCredentials(r, SOURCE_CREDENTIALS.helm),
          ),
        ['reject', 'accept'],
      );
      return `the Helm repositories ${
        arg === 'reject' ? 'answer 401 to' : 'accept'
      } the clusters' credentials`;
    case 'helm-server':
      await toggle(
        () => helm.stop(),
        () => helm.start(),
        ['stop', 'start'],
      );
      return `the Helm repository server is ${arg === 'stop' ? 'down' : 'up'}`;
    case 'registry-credentials':
      toggle(
        () => registry.rejectPulls(),
        () => registry.acceptPulls(),
        ['reject', 'accept'],
      );
      return `the registry ${
        arg === 'reject' ? 'refuses' : 'allows'
      } the clusters' pulls`;
    case 'push-package': {
      const match = /^6\.7\.1-p(\d\d)$/.exec(arg ?? '');
      if (!match)
        throw new UsageError('usage: scenario push-package 6.7.1-pNN');
      await registry.push(
        'packages/podinfo',
        arg,
        podinfoPackage(arg, `6.7.${Number(match[1])}`),
      );
      return `pushed podinfo ${arg} to ${registry.host}/packages/podinfo`;
    }
    case 'promote': {
      if (!arg)
        throw new UsageError('usage: scenario promote <tag> --cluster name');
      await withKubeClient(asAdmin(testbed.cluster(cluster).cp), client =>
        client.mergePatch(
          {
            apiVersion: API_VERSIONS.Release,
            kind: 'Release',
            namespace: 'apps',
            name: 'podinfo',
          },
          { spec: { package: { tag: arg } } },
        ),
      );
      return `Release apps/podinfo on ${cluster} now asks for ${arg}`;
    }
    case 'push-chart': {
      const [version, broken] = request.args;
      if (!version)
        throw new UsageError('usage: scenario push-chart <version> [broken]');
      helm.publish(
        'notify',
        packageChart(
          configMapChart({
            name: 'notification-service',
            version,
            dataKey: broken === 'broken' ? 'not a valid key!' : undefined,
          }),
        ),
      );
      return `published notification-service ${version}${
        broken === 'broken' ? ' (its ConfigMap is invalid)' : ''
      }`;
    }
    default:
      throw new UsageError(
        `unknown scenario "${request.name}": ${SCENARIOS.join(
          ', ',
        )} (docs/kube-testbed.md)`,
      );
  }
}
