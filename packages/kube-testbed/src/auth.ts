import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KubeClient, KubeTarget } from './kubeClient';

/** Static bearer tokens (kube-apiserver --token-auth-file) of a control plane. */
export interface TestbedTokens {
  /** User testbed-admin in group system:masters: everything. */
  admin: string;
  /** User testbed-reader: get/list/watch on the Flux and KuboCD kinds, events and the Kubernetes plugin's kinds. */
  reader: string;
  /** User testbed-restricted: like reader, without HelmRepository (403). */
  restricted: string;
  /** User testbed-operator: like reader, plus patch on the Flux and KuboCD kinds (reconcile, suspend, resume). */
  operator: string;
  /**
   * User testbed-flux, bound to cluster-admin as Flux's kustomize-controller
   * and helm-controller are in a cluster (they apply any kind): the real
   * controllers' identity (src/flux/controllers.ts).
   */
  flux: string;
}

/** What a client needs to reach a control plane (also what `cli.ts up` saves). */
export interface ClusterAccess {
  name: string;
  /** https://127.0.0.1:<port> */
  url: string;
  /** Base64 of the PEM bundle (serving cert + its CA): a kubeconfig's certificate-authority-data. */
  caData: string;
  tokens: TestbedTokens;
}

/** The cluster as its admin (system:masters) sees it. */
export const asAdmin = (
  access: Pick<ClusterAccess, 'url' | 'caData' | 'tokens'>,
): KubeTarget => ({
  url: access.url,
  caData: access.caData,
  token: access.tokens.admin,
});

export const TESTBED_USERS = {
  admin: 'testbed-admin',
  reader: 'testbed-reader',
  restricted: 'testbed-restricted',
  operator: 'testbed-operator',
  flux: 'testbed-flux',
} as const;

const FLUX_AND_KUBOCD_KINDS = [
  {
    apiGroups: ['source.toolkit.fluxcd.io'],
    resources: [
      'gitrepositories',
      'ocirepositories',
      'helmcharts',
      'buckets',
      'externalartifacts',
    ],
  },
  {
    apiGroups: ['kustomize.toolkit.fluxcd.io'],
    resources: ['kustomizations'],
  },
  { apiGroups: ['helm.toolkit.fluxcd.io'], resources: ['helmreleases'] },
  { apiGroups: ['kubocd.kubotal.io'], resources: ['releases'] },
];
const FLUX_AND_KUBOCD = [
  ...FLUX_AND_KUBOCD_KINDS,
  { apiGroups: [''], resources: ['events'] },
  { apiGroups: ['events.k8s.io'], resources: ['events'] },
];
const HELM_REPOSITORIES = {
  apiGroups: ['source.toolkit.fluxcd.io'],
  resources: ['helmrepositories'],
};
// What Backstage's Kubernetes plugin lists for an entity, so its tab works
// against the testbed (the objects simply do not exist: no controllers run).
const KUBERNETES_PLUGIN = [
  {
    apiGroups: [''],
    resources: [
      'pods',
      'services',
      'configmaps',
      'limitranges',
      'resourcequotas',
    ],
  },
  {
    apiGroups: ['apps'],
    resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
  },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'] },
];

type Rules = Array<{ apiGroups: string[]; resources: string[] }>;
const readOnly = (rules: Rules) =>
  rules.map(rule => ({ ...rule, verbs: ['get', 'list', 'watch'] }));
const patchOnly = (rules: Rules) =>
  rules.map(rule => ({ ...rule, verbs: ['patch'] }));

/** Generates the tokens and writes kube-apiserver's token file (CSV: token,user,uid,"groups"). */
export function writeTokenFile(dir: string): {
  tokens: TestbedTokens;
  file: string;
} {
  const token = () => crypto.randomBytes(24).toString('hex');
  const tokens: TestbedTokens = {
    admin: token(),
    reader: token(),
    restricted: token(),
    operator: token(),
    flux: token(),
  };
  const file = path.join(dir, 'tokens.csv');
  fs.writeFileSync(
    file,
    [
      `${tokens.admin},${TESTBED_USERS.admin},${TESTBED_USERS.admin},"system:masters"`,
      `${tokens.reader},${TESTBED_USERS.reader},${TESTBED_USERS.reader}`,
      `${tokens.restricted},${TESTBED_USERS.restricted},${TESTBED_USERS.restricted}`,
      `${tokens.operator},${TESTBED_USERS.operator},${TESTBED_USERS.operator}`,
      `${tokens.flux},${TESTBED_USERS.flux},${TESTBED_USERS.flux}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return { tokens, file };
}

/** Creates the ClusterRoles and bindings of the reader, restricted, operator and flux users. */
export async function applyRbac(admin: KubeClient): Promise<void> {
  const read = readOnly([
    ...FLUX_AND_KUBOCD,
    HELM_REPOSITORIES,
    ...KUBERNETES_PLUGIN,
  ]);
  const roles = {
    [TESTBED_USERS.reader]: read,
    [TESTBED_USERS.restricted]: readOnly([
      ...FLUX_AND_KUBOCD,
      ...KUBERNETES_PLUGIN,
    ]),
    // What README.md asks of a portal's service account that runs actions.
    [TESTBED_USERS.operator]: [
      ...read,
      ...patchOnly([...FLUX_AND_KUBOCD_KINDS, HELM_REPOSITORIES]),
    ],
  };
  // kube-apiserver's bootstrap role: what Flux's cluster-reconciler binding grants.
  await admin.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: TESTBED_USERS.flux },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'cluster-admin',
    },
    subjects: [
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'User',
        name: TESTBED_USERS.flux,
      },
    ],
  });
  for (const [user, rules] of Object.entries(roles)) {
    await admin.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: user },
      rules,
    });
    await admin.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: user },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: user,
      },
      subjects: [
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user },
      ],
    });
  }
}
