import { helmRelease } from '../testUtils/objects';
import { KubeObject } from '../types/objects';
import { helmRemediation } from './remediation';

const hr = (
  spec: Record<string, unknown>,
  status: Record<string, unknown> = {},
) => {
  const base = helmRelease('api', 'apps', {
    chart: 'api',
    version: '1.0.0',
    source: { kind: 'HelmRepository', name: 'charts' },
  });
  return {
    ...base,
    spec: { ...base.spec, ...spec },
    status: { ...base.status, ...status },
  } as KubeObject;
};

describe('helmRemediation', () => {
  it('nothing set: a failed install or upgrade stays failed (helm-controller defaults: retries 0, no last-failure remediation)', () => {
    expect(helmRemediation(hr({}))).toEqual({
      install: { mode: 'none' },
      upgrade: { mode: 'none' },
      installFailures: 0,
      upgradeFailures: 0,
    });
  });

  it('upgrade retries: rollback by default, the last failure remediated unless told not to; install retries: uninstall, last failure left by default', () => {
    const r = helmRemediation(
      hr(
        {
          install: { remediation: { retries: 2 } },
          upgrade: { remediation: { retries: 3 } },
        },
        { installFailures: 1, upgradeFailures: 4 },
      ),
    );
    expect(r).toEqual({
      install: {
        mode: 'remediate',
        retries: 2,
        strategy: 'uninstall',
        remediateLastFailure: false,
      },
      upgrade: {
        mode: 'remediate',
        retries: 3,
        strategy: 'rollback',
        remediateLastFailure: true,
      },
      installFailures: 1,
      upgradeFailures: 4,
    });
    expect(
      helmRemediation(
        hr({
          upgrade: {
            remediation: {
              retries: 3,
              strategy: 'uninstall',
              remediateLastFailure: false,
            },
          },
        }),
      ).upgrade,
    ).toEqual({
      mode: 'remediate',
      retries: 3,
      strategy: 'uninstall',
      remediateLastFailure: false,
    });
  });

  it('retries 0 with remediateLastFailure: one rollback after the failure; negative retries: unlimited', () => {
    expect(
      helmRemediation(
        hr({ upgrade: { remediation: { remediateLastFailure: true } } }),
      ).upgrade,
    ).toEqual({
      mode: 'remediate',
      retries: 0,
      strategy: 'rollback',
      remediateLastFailure: true,
    });
    expect(
      helmRemediation(hr({ upgrade: { remediation: { retries: -1 } } }))
        .upgrade,
    ).toMatchObject({ mode: 'remediate', retries: -1 });
  });

  it('RetryOnFailure: retried at its interval (default 5m), never remediated, whatever remediation says', () => {
    const r = helmRemediation(
      hr({
        install: { strategy: { name: 'RetryOnFailure' } },
        upgrade: {
          strategy: { name: 'RetryOnFailure', retryInterval: '2m' },
          remediation: { retries: 3 },
        },
      }),
    );
    expect(r.install).toEqual({ mode: 'retry', retryInterval: '5m' });
    expect(r.upgrade).toEqual({ mode: 'retry', retryInterval: '2m' });
  });

  it('values of the wrong type (the CRD forbids them, a hostile or broken object may carry them) count as unset', () => {
    const r = helmRemediation(
      hr(
        {
          upgrade: {
            strategy: 'RetryOnFailure',
            remediation: { retries: '3', strategy: 'rm -rf' },
          },
          install: [],
        },
        { upgradeFailures: 'many' },
      ),
    );
    expect(r).toEqual({
      install: { mode: 'none' },
      upgrade: { mode: 'none' },
      installFailures: 0,
      upgradeFailures: 0,
    });
  });
});
