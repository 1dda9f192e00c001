import { kindOf } from '../kinds';
import { deployedSnapshot } from '../status/revision';
import { KubeObject } from '../types/objects';
import { ChainLink, FACT_LABELS, FactKey } from '../types/view';

type Fact = ChainLink['facts'][number];

function fact(key: FactKey, value: unknown): Fact[] {
  return value === undefined || value === null || value === ''
    ? []
    : [{ key, label: FACT_LABELS[key], value: String(value) }];
}

function gitRef(obj: KubeObject): string | undefined {
  const ref = obj.spec?.ref;
  if (!ref) return undefined;
  const [key, value] =
    Object.entries(ref).find(([, v]) => typeof v === 'string' && v !== '') ??
    [];
  return key ? `${key} ${value}` : undefined;
}

/** Where a Bucket reads from: `<endpoint>/<bucket>[/<prefix>]`. */
export function bucketTarget(obj: KubeObject): string | undefined {
  const { endpoint, bucketName, prefix } = obj.spec ?? {};
  if (typeof endpoint !== 'string' || typeof bucketName !== 'string') {
    return undefined;
  }
  return [endpoint, bucketName, prefix].filter(Boolean).join('/');
}

/** The chart a HelmRelease asks for, as `name@version`. @public */
function requestedChart(obj: KubeObject): string | undefined {
  const chart = obj.spec?.chart;
  if (chart && typeof chart === 'object' && chart.spec?.chart) {
    return chart.spec.version
      ? `${chart.spec.chart}@${chart.spec.version}`
      : chart.spec.chart;
  }
  const ref = obj.spec?.chartRef;
  return ref ? `${ref.kind}/${ref.name}` : undefined;
}

/**
 * Facts shown beside a link's state: what it points at, what it runs, and
 * the last reconcile request its controller handled (Flux copies the
 * `reconcile.fluxcd.io/requestedAt` value it acted on), so a person who
 * asked for a reconcile sees when it was taken up.
 */
export function linkFacts(obj: KubeObject): Fact[] {
  return [
    ...kindFacts(obj),
    ...fact('reconcileRequestHandled', obj.status?.lastHandledReconcileAt),
  ];
}

function kindFacts(obj: KubeObject): Fact[] {
  const spec = obj.spec ?? {};
  const status = obj.status ?? {};
  switch (kindOf(obj)) {
    case 'Release': {
      const pkg = spec.package;
      return [
        ...fact(
          'package',
          pkg?.repository && `${pkg.repository}:${pkg.tag ?? ''}`,
        ),
        ...fact('phase', status.phase),
        ...fact('readyReleases', status.readyReleases),
        ...fact('missingDependency', status.missingDependency),
        ...fact('description', spec.description),
      ];
    }
    case 'OCIRepository':
    case 'GitRepository':
      return [
        ...fact('url', spec.url),
        ...fact('ref', gitRef(obj)),
        ...fact('artifact', status.artifact?.revision),
        ...fact('secret', spec.secretRef?.name),
      ];
    case 'HelmRepository':
      return [
        ...fact('url', spec.url),
        ...fact('type', spec.type ?? 'default'),
      ];
    case 'Bucket':
      return [
        ...fact('bucket', bucketTarget(obj)),
        ...fact('provider', spec.provider),
        ...fact('artifact', status.artifact?.revision),
        ...fact('secret', spec.secretRef?.name),
      ];
    case 'ExternalArtifact':
      return [
        ...fact(
          'generatedBy',
          spec.sourceRef && `${spec.sourceRef.kind}/${spec.sourceRef.name}`,
        ),
        ...fact('artifact', status.artifact?.revision),
      ];
    case 'HelmChart':
      return [
        ...fact(
          'chart',
          spec.chart &&
            `${spec.chart}${spec.version ? `@${spec.version}` : ''}`,
        ),
        ...fact(
          'source',
          spec.sourceRef && `${spec.sourceRef.kind}/${spec.sourceRef.name}`,
        ),
        ...fact('artifact', status.artifact?.revision),
      ];
    case 'HelmRelease': {
      const deployed = deployedSnapshot(obj);
      return [
        ...fact('chart', requestedChart(obj)),
        ...fact(
          'deployed',
          deployed &&
            `${deployed.chartName}@${deployed.chartVersion} (Helm revision ${deployed.version})`,
        ),
        ...fact('lastAttempted', status.lastAttemptedRevision),
        ...fact('targetNamespace', spec.targetNamespace),
      ];
    }
    case 'Kustomization':
      return [
        ...fact(
          'source',
          spec.sourceRef && `${spec.sourceRef.kind}/${spec.sourceRef.name}`,
        ),
        ...fact('path', spec.path),
        ...fact('applied', status.lastAppliedRevision),
        ...fact('attempted', status.lastAttemptedRevision),
      ];
    default:
      return [];
  }
}
