import { KubeObject } from '../types/objects';
import { ActionRemediation, HelmRemediation } from '../types/view';
import { isRecord } from '../util/isRecord';

const record = (value: unknown): Record<string, unknown> =>
  isRecord(value) ? value : {};

const count = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) ? value : 0;

function actionRemediation(
  action: unknown,
  kind: 'install' | 'upgrade',
): ActionRemediation {
  const spec = record(action);
  const strategy = record(spec.strategy);
  if (strategy.name === 'RetryOnFailure') {
    return {
      mode: 'retry',
      retryInterval:
        typeof strategy.retryInterval === 'string'
          ? strategy.retryInterval
          : '5m',
    };
  }
  const remediation = record(spec.remediation);
  const retries = Math.trunc(count(remediation.retries));
  const remediateLastFailure =
    typeof remediation.remediateLastFailure === 'boolean'
      ? remediation.remediateLastFailure
      : kind === 'upgrade' && retries > 0;
  if (retries === 0 && !remediateLastFailure) return { mode: 'none' };
  return {
    mode: 'remediate',
    retries: retries < 0 ? -1 : retries,
    // An install can only be undone by an uninstall.
    strategy:
      kind === 'install' || remediation.strategy === 'uninstall'
        ? 'uninstall'
        : 'rollback',
    remediateLastFailure,
  };
}

/** How a HelmRelease handles failed installs and upgrades. @public */
export function helmRemediation(obj: KubeObject): HelmRemediation {
  const spec = record(obj.spec);
  const status = record(obj.status);
  return {
    install: actionRemediation(spec.install, 'install'),
    upgrade: actionRemediation(spec.upgrade, 'upgrade'),
    installFailures: count(status.installFailures),
    upgradeFailures: count(status.upgradeFailures),
  };
}
