import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  ActionRemediation,
  HelmRemediation,
} from '@gitops-promotion/backstage-plugin-common';
import { Fragment } from 'react';
import {
  GitopsPromotionT as T,
  gitopsPromotionTranslationRef,
} from '../../translation';

function describe(r: ActionRemediation, t: T): string {
  if (r.mode === 'retry') {
    return t('remediation.retry', { interval: r.retryInterval ?? '' });
  }
  if (r.mode === 'none') return t('remediation.none');
  const strategy = t(`remediation.strategy.${r.strategy ?? 'rollback'}`);
  const count = r.retries ?? 0;
  if (r.remediateLastFailure) {
    return r.retries === -1
      ? t('remediation.unlimited', { strategy })
      : t('remediation.remediate', { strategy, count });
  }
  return r.retries === -1
    ? t('remediation.unlimitedLastLeft', { strategy })
    : t('remediation.remediateLastLeft', { strategy, count });
}

/**
 * A HelmRelease's answer to a failed install or upgrade and its failure
 * counters, as rows of the link's facts: in an important environment a
 * failed upgrade without remediation stays failed.
 */
export function RemediationFacts(props: { remediation: HelmRemediation }) {
  const { remediation: r } = props;
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const rows: Array<[string, string]> = [
    [t('remediation.upgrade'), describe(r.upgrade, t)],
    [t('remediation.install'), describe(r.install, t)],
  ];
  if (r.installFailures > 0 || r.upgradeFailures > 0) {
    rows.push([
      t('remediation.failures'),
      t('remediation.failureCounts', {
        install: r.installFailures,
        upgrade: r.upgradeFailures,
      }),
    ]);
  }
  return (
    <>
      {rows.map(([label, value]) => (
        <Fragment key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </Fragment>
      ))}
    </>
  );
}
