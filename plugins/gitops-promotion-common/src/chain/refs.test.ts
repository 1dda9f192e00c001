import { ociRepository } from '../testUtils';
import { objectRef } from './refs';

describe('objectRef', () => {
  const oci = ociRepository('kcd-podinfo', 'apps', {
    url: 'oci://ghcr.io/kubocd/packages/podinfo',
    tag: '6.7.1-p01',
  });

  it('keeps the version the object was read at', () => {
    const beta = { ...oci, apiVersion: 'source.toolkit.fluxcd.io/v1beta2' };
    expect(
      objectRef('prod-eu', 'OCIRepository', 'apps', 'kcd-podinfo', beta),
    ).toMatchObject({ group: 'source.toolkit.fluxcd.io', version: 'v1beta2' });
  });

  it('takes the preferred version when the object names one the kind does not have', () => {
    // The version goes into the drill-down's request path.
    for (const apiVersion of [
      'source.toolkit.fluxcd.io/..',
      'source.toolkit.fluxcd.io/v1%2F..%2F..',
      'source.toolkit.fluxcd.io',
    ]) {
      expect(
        objectRef('prod-eu', 'OCIRepository', 'apps', 'kcd-podinfo', {
          ...oci,
          apiVersion,
        }).version,
      ).toBe('v1');
    }
  });
});
