import { ClusterError } from '@gitops-promotion/backstage-plugin-common';
import { defaultT } from '../__testUtils__/translate';
import { describeClusterError, describeSelectors } from './labels';

const error = (e: Partial<ClusterError>): ClusterError => ({
  cluster: 'prod-eu',
  type: 'UNREACHABLE',
  message: 'm',
  since: '2026-11-21T10:00:00Z',
  ...e,
});

describe('describeClusterError', () => {
  it.each<[Partial<ClusterError>, string]>([
    [{ type: 'UNREACHABLE' }, 'cannot reach the API server'],
    [{ type: 'UNAUTHORIZED' }, 'credentials rejected (401)'],
    [
      { type: 'FORBIDDEN', kind: 'HelmRelease' },
      'not allowed to read HelmRelease (403)',
    ],
    [{ type: 'NOT_INSTALLED', kind: 'Release' }, 'Release CRD not installed'],
    [
      { type: 'VERSION_NOT_SERVED', kind: 'Kustomization' },
      'API version of Kustomization not served',
    ],
    [
      { type: 'VERSION_NOT_SERVED', kind: 'HelmRelease', degraded: true },
      'API version of HelmRelease not served: a beta version is used instead',
    ],
    [{ type: 'TIMEOUT' }, 'the API server did not answer in time'],
  ])('%o is "%s"', (e, text) => {
    expect(describeClusterError(error(e), defaultT())).toBe(text);
  });
});

describe('describeSelectors', () => {
  it('writes one line per name and one per label selector', () => {
    const annotation = 'gitops-promotion/label-selector';
    expect(
      describeSelectors(
        [
          {
            kind: 'Release',
            namespace: 'apps',
            name: 'podinfo',
            annotation: 'gitops-promotion/kubocd-releases',
          },
          ...(['Release', 'HelmRelease', 'Kustomization'] as const).map(
            kind => ({
              kind,
              labelSelector: 'app=ledger',
              namespace: 'finance',
              annotation,
            }),
          ),
        ],
        defaultT(),
      ),
    ).toEqual([
      'KuboCD Release apps/podinfo, from gitops-promotion/kubocd-releases',
      'Releases, HelmReleases and Kustomizations labelled app=ledger in namespace finance, from gitops-promotion/label-selector',
    ]);
  });
});
