import {
  ClusterError,
  WorkloadKind,
  WorkloadSelector,
} from '@gitops-promotion/backstage-plugin-common';
import { GitopsPromotionT } from '../translation';

/**
 * Workloads as the user tells them apart, by row id: the name, with the
 * kind when another workload of the view has the same name (a
 * Kustomization `svc` that applies a HelmRelease `svc`, a common Flux
 * layout). Once per view: a thousand rows are not compared pairwise.
 */
export function workloadLabels(
  rows: Array<{ id: string; kind: WorkloadKind; name: string }>,
  t: GitopsPromotionT,
): Map<string, string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const { name } of rows) {
    if (seen.has(name)) repeated.add(name);
    seen.add(name);
  }
  return new Map(
    rows.map(r => [
      r.id,
      repeated.has(r.name)
        ? t('workloadOfKind', { name: r.name, kind: t(`kind.${r.kind}`) })
        : r.name,
    ]),
  );
}

/** What a cluster error means, in plain words. */
export function describeClusterError(
  error: ClusterError,
  t: GitopsPromotionT,
): string {
  const kind = error.kind;
  switch (error.type) {
    case 'UNREACHABLE':
      return t('clusterError.unreachable');
    case 'UNAUTHORIZED':
      return t('clusterError.unauthorized');
    case 'FORBIDDEN':
      return kind
        ? t('clusterError.forbidden', { kind })
        : t('clusterError.forbiddenAll');
    case 'NOT_INSTALLED':
      return kind
        ? t('clusterError.notInstalled', { kind })
        : t('clusterError.notInstalledAll');
    case 'VERSION_NOT_SERVED': {
      const problem = kind
        ? t('clusterError.versionNotServed', { kind })
        : t('clusterError.versionNotServedAll');
      return error.degraded
        ? t('clusterError.betaInstead', { problem })
        : problem;
    }
    case 'TIMEOUT':
      return t('clusterError.timeout');
    default:
      return error.type;
  }
}

/**
 * What the entity's annotations search for, one line per selector. A label
 * selector stands for one selector per kind: they are shown as one line.
 */
export function describeSelectors(
  selectors: WorkloadSelector[],
  t: GitopsPromotionT,
): string[] {
  const lines: string[] = [];
  for (const s of selectors) {
    const kind = t(`kind.${s.kind}`);
    let selector: string;
    if (s.name) {
      selector = s.namespace
        ? t('selector.named', { kind, namespace: s.namespace, name: s.name })
        : t('selector.namedAnyNamespace', { kind, name: s.name });
    } else {
      const labels = s.labelSelector ?? '';
      selector = s.namespace
        ? t('selector.labelledInNamespace', {
            selector: labels,
            namespace: s.namespace,
          })
        : t('selector.labelled', { selector: labels });
    }
    const text = t('selector.from', { selector, annotation: s.annotation });
    if (!lines.includes(text)) lines.push(text);
  }
  return lines;
}
