import {
  CellState,
  ClusterError,
  FailureCategory,
  RetryState,
  WorkloadKind,
  WorkloadSelector,
} from '@gitops-promotion/backstage-plugin-common';

/** @public */
export const STATE_LABELS: Record<CellState, string> = {
  Ready: 'Ready',
  Progressing: 'Progressing',
  Failed: 'Failed',
  Suspended: 'Suspended',
  Unknown: 'Unknown',
  NotDeployed: 'Not deployed',
};

export const KIND_LABELS: Record<WorkloadKind, string> = {
  Release: 'KuboCD Release',
  HelmRelease: 'Flux HelmRelease',
  Kustomization: 'Flux Kustomization',
};

export const CATEGORY_LABELS: Record<FailureCategory, string> = {
  network: 'Cannot reach the source',
  authentication: 'Credentials rejected',
  configuration: 'Configuration fails in this environment',
  dependency: 'Waiting for a dependency',
  suspended: 'Suspended',
  missing: 'Object missing',
  'in-progress': 'Still reconciling',
  unknown: 'Cause unknown',
};

/** What Flux does about a failure: retry, or wait for a change (Stalled). */
export const RETRY_LABELS: Record<RetryState, string> = {
  retrying: 'Flux is still retrying',
  stalled:
    'Flux gave up (Stalled): it tries again once the object or its source changes',
};

/** What a cluster error means, in plain words. */
export function describeClusterError(error: ClusterError): string {
  const kind = error.kind;
  switch (error.type) {
    case 'UNREACHABLE':
      return 'cannot reach the API server';
    case 'UNAUTHORIZED':
      return 'credentials rejected (401)';
    case 'FORBIDDEN':
      return `not allowed to read ${kind ?? 'Flux objects'} (403)`;
    case 'NOT_INSTALLED':
      return `${kind ?? 'Flux'} CRD not installed`;
    case 'VERSION_NOT_SERVED':
      return `API version${kind ? ` of ${kind}` : ''} not served${
        error.degraded ? ': a beta version is used instead' : ''
      }`;
    case 'TIMEOUT':
      return 'the API server did not answer in time';
    default:
      return error.type;
  }
}

/**
 * What the entity's annotations search for, one line per selector. A label
 * selector stands for one selector per kind: they are shown as one line.
 */
export function describeSelectors(selectors: WorkloadSelector[]): string[] {
  const lines: string[] = [];
  for (const s of selectors) {
    const where = s.namespace ? ` in namespace ${s.namespace}` : '';
    const line = s.name
      ? `${KIND_LABELS[s.kind]} ${s.namespace ? `${s.namespace}/` : ''}${
          s.name
        }${s.namespace ? '' : ' (any namespace)'}`
      : `Releases, HelmReleases and Kustomizations labelled ${s.labelSelector}${where}`;
    const text = `${line}, from ${s.annotation}`;
    if (!lines.includes(text)) lines.push(text);
  }
  return lines;
}
