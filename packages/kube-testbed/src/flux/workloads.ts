import YAML from 'yaml';
import { KubeObject } from '../kubeClient';
import { API_VERSIONS } from '../seed';
import { ChartSpec } from './archives';
import { Credentials } from './helmRepository';

/**
 * The objects a platform team writes for Flux (and KuboCD), pointing at the
 * testbed's sources. Created without status (applyObjects): the real
 * controllers reconcile them.
 */

/** A basic-auth Secret as `flux create secret git|helm` writes it. */
export function basicAuthSecret(
  namespace: string,
  name: string,
  credentials: Credentials,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { namespace, name },
    type: 'Opaque',
    stringData: { ...credentials },
  } as KubeObject;
}

/** A docker-registry Secret for an OCIRepository's secretRef. */
export function registrySecret(
  namespace: string,
  name: string,
  host: string,
  credentials: Credentials,
): KubeObject {
  const auth = Buffer.from(
    `${credentials.username}:${credentials.password}`,
  ).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { namespace, name },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: {
      '.dockerconfigjson': JSON.stringify({
        auths: { [host]: { ...credentials, auth } },
      }),
    },
  } as KubeObject;
}

/** A GitRepository (basic auth) and the Kustomization applying one path of it. */
export function gitWorkload(options: {
  namespace: string;
  name: string;
  url: string;
  path: string;
  credentials: Credentials;
  interval?: string;
  targetNamespace?: string;
  labels?: Record<string, string>;
}): KubeObject[] {
  const { namespace, name } = options;
  const interval = options.interval ?? '1m';
  return [
    basicAuthSecret(namespace, `${name}-git`, options.credentials),
    {
      apiVersion: API_VERSIONS.GitRepository,
      kind: 'GitRepository',
      metadata: { namespace, name },
      spec: {
        url: options.url,
        ref: { branch: 'main' },
        interval,
        timeout: '20s',
        secretRef: { name: `${name}-git` },
      },
    },
    {
      apiVersion: API_VERSIONS.Kustomization,
      kind: 'Kustomization',
      metadata: { namespace, name, labels: options.labels },
      spec: {
        interval,
        retryInterval: interval,
        timeout: '30s',
        path: options.path,
        prune: true,
        sourceRef: { kind: 'GitRepository', name },
        targetNamespace: options.targetNamespace,
      },
    },
  ];
}

/** A HelmRepository (basic auth) and a HelmRelease installing one chart of it. */
export function helmWorkload(options: {
  namespace: string;
  name: string;
  repositoryName: string;
  url: string;
  chart: string;
  version: string;
  credentials: Credentials;
  interval?: string;
  values?: Record<string, unknown>;
  /** More HelmRelease spec (install, upgrade remediation, timeout...). */
  spec?: Record<string, unknown>;
  labels?: Record<string, string>;
}): KubeObject[] {
  const { namespace, name } = options;
  const interval = options.interval ?? '1m';
  return [
    basicAuthSecret(
      namespace,
      `${options.repositoryName}-helm`,
      options.credentials,
    ),
    {
      apiVersion: API_VERSIONS.HelmRepository,
      kind: 'HelmRepository',
      metadata: { namespace, name: options.repositoryName },
      spec: {
        url: options.url,
        interval,
        timeout: '20s',
        secretRef: { name: `${options.repositoryName}-helm` },
      },
    },
    {
      apiVersion: API_VERSIONS.HelmRelease,
      kind: 'HelmRelease',
      metadata: { namespace, name, labels: options.labels },
      spec: {
        interval,
        timeout: '30s',
        chart: {
          spec: {
            chart: options.chart,
            version: options.version,
            interval,
            sourceRef: { kind: 'HelmRepository', name: options.repositoryName },
          },
        },
        values: options.values,
        ...options.spec,
      },
    },
  ];
}

/** A KuboCD Release of a package in the registry, pulled with a docker-registry Secret. */
export function kuboCdRelease(options: {
  namespace: string;
  name: string;
  registryHost: string;
  repository: string;
  tag: string;
  credentials: Credentials;
  interval?: string;
  description?: string;
  parameters?: Record<string, unknown>;
  labels?: Record<string, string>;
}): KubeObject[] {
  const { namespace, name } = options;
  return [
    registrySecret(
      namespace,
      `${name}-registry`,
      options.registryHost,
      options.credentials,
    ),
    {
      apiVersion: API_VERSIONS.Release,
      kind: 'Release',
      metadata: { namespace, name, labels: options.labels },
      spec: {
        description: options.description ?? `${name} (KuboCD package)`,
        package: {
          repository: `${options.registryHost}/${options.repository}`,
          tag: options.tag,
          interval: options.interval ?? '1m',
          insecure: true,
          secretRef: { name: `${name}-registry` },
        },
        parameters: options.parameters ?? {},
      },
    },
  ];
}

/** A ConfigMap manifest (what the git repositories hold; no kubelet runs). */
export function configMapManifest(
  name: string,
  data: Record<string, string>,
  namespace?: string,
): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(namespace && { namespace }) },
    data,
  });
}

/**
 * A chart of one ConfigMap holding its values. `required` names values
 * the template insists on (Helm's `required`: a render error when missing);
 * `dataKey` is the key the value is stored under, which an upgrade can make
 * invalid for the API server (a failed release that Helm rolls back).
 */
export function configMapChart(options: {
  name: string;
  version: string;
  appVersion?: string;
  values?: Record<string, unknown>;
  required?: string[];
  dataKey?: string;
}): ChartSpec {
  const required = (options.required ?? [])
    .map(
      key =>
        `  ${key}: {{ required "${key} is required: set it in the values" .Values.${key} | quote }}`,
    )
    .join('\n');
  return {
    name: options.name,
    version: options.version,
    appVersion: options.appVersion,
    values: {
      message: `${options.name} ${options.version}`,
      ...options.values,
    },
    templates: {
      'configmap.yaml': [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: {{ .Release.Name }}',
        '  labels:',
        '    app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}',
        'data:',
        `  ${JSON.stringify(
          options.dataKey ?? 'message',
        )}: {{ .Values.message | quote }}`,
        ...(required ? [required] : []),
        '',
      ].join('\n'),
    },
  };
}
