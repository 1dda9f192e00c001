import { kindOf } from '../kinds';
import { deployedSnapshot } from '../status/revision';
import { KubeObject } from '../types/objects';
import { ChainLink } from '../types/view';

type Fact = ChainLink['facts'][number];

function fact(label: string, value: unknown): Fact[] {
  return value === undefined || value === null || value === ''
    ? []
    : [{ label, value: String(value) }];
}

function gitRef(obj: KubeObject): string | undefined {
  const ref = obj.spec?.ref;
  if (!ref) return undefined;
  const [key, value] =
    Object.entries(ref).find(([, v]) => typeof v === 'string' && v !== '') ??
    [];
  return key ? `${key} ${value}` : undefined;
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
    ...fact('Reconcile request handled', obj.status?.lastHandledReconcileAt),
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
          'Package',
          pkg?.repository && `${pkg.repository}:${pkg.tag ?? ''}`,
        ),
        ...fact('Phase', status.phase),
        ...fact('Ready releases', status.readyReleases),
        ...fact('Missing dependency', status.missingDependency),
        ...fact('Description', spec.description),
      ];
    }
    case 'OCIRepository':
    case 'GitRepository':
      return [
        ...fact('URL', spec.url),
        ...fact('Ref', gitRef(obj)),
        ...fact('Artifact', status.artifact?.revision),
        ...fact('Secret', spec.secretRef?.name),
      ];
    case 'HelmRepository':
      return [
        ...fact('URL', spec.url),
        ...fact('Type', spec.type ?? 'default'),
      ];
    case 'HelmChart':
      return [
        ...fact(
          'Chart',
          spec.chart &&
            `${spec.chart}${spec.version ? `@${spec.version}` : ''}`,
        ),
        ...fact(
          'Source',
          spec.sourceRef && `${spec.sourceRef.kind}/${spec.sourceRef.name}`,
        ),
        ...fact('Artifact', status.artifact?.revision),
      ];
    case 'HelmRelease': {
      const deployed = deployedSnapshot(obj);
      return [
        ...fact('Chart', requestedChart(obj)),
        ...fact(
          'Deployed',
          deployed &&
            `${deployed.chartName}@${deployed.chartVersion} (Helm revision ${deployed.version})`,
        ),
        ...fact('Last attempted', status.lastAttemptedRevision),
        ...fact('Target namespace', spec.targetNamespace),
      ];
    }
    case 'Kustomization':
      return [
        ...fact(
          'Source',
          spec.sourceRef && `${spec.sourceRef.kind}/${spec.sourceRef.name}`,
        ),
        ...fact('Path', spec.path),
        ...fact('Applied', status.lastAppliedRevision),
        ...fact('Attempted', status.lastAttemptedRevision),
      ];
    default:
      return [];
  }
}
