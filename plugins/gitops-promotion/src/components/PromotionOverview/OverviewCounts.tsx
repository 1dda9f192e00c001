import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { PromotionOverview } from '@gitops-promotion/backstage-plugin-common';
import { gitopsPromotionTranslationRef } from '../../translation';
import { readableText } from '../common/readableText';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  failing: { color: readableText(theme, 'error'), fontWeight: 500 },
  pending: { color: readableText(theme, 'warning'), fontWeight: 500 },
}));

/**
 * What needs attention, most important environments first: "3 failing in
 * Production", "7 pending promotion to Production", then mixed versions
 * and stale or missing data (a cluster that went quiet, or never read the
 * kind); one line says so when nothing does and every cluster and
 * component could be read, and none was left unread (a truncated
 * overview).
 */
export function OverviewCounts(props: { overview: PromotionOverview }) {
  const { overview } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const title = (name: string) =>
    overview.environments.find(e => e.name === name)?.title ?? name;
  const byImportance = [...overview.counts.environments].reverse();
  const lines = [
    ...byImportance
      .filter(c => c.failing > 0)
      .map(c => ({
        key: `failing-${c.environment}`,
        className: classes.failing,
        text: t('overview.failingIn', {
          count: c.failing,
          environment: title(c.environment),
        }),
      })),
    ...byImportance
      .filter(c => c.pending > 0)
      .map(c => ({
        key: `pending-${c.environment}`,
        className: classes.pending,
        text: t('overview.pendingTo', {
          count: c.pending,
          environment: title(c.environment),
        }),
      })),
    ...(overview.counts.mixedVersions > 0
      ? [
          {
            key: 'mixed',
            className: undefined,
            text: t('overview.mixedVersions', {
              count: overview.counts.mixedVersions,
            }),
          },
        ]
      : []),
    ...(overview.counts.stale > 0
      ? [
          {
            key: 'stale',
            className: undefined,
            text: t('overview.stale', { count: overview.counts.stale }),
          },
        ]
      : []),
  ];
  return (
    <div className={classes.root} role="status">
      <Typography variant="subtitle2" component="span">
        {t('overview.entities', { count: overview.counts.entities })}
      </Typography>
      {lines.length === 0
        ? !overview.truncated &&
          overview.clusterErrors.length === 0 &&
          overview.unavailable.length === 0 && (
            <Typography variant="body2" component="span">
              {t('overview.allClear')}
            </Typography>
          )
        : lines.map(line => (
            <Typography
              key={line.key}
              variant="body2"
              component="span"
              className={line.className}
            >
              {line.text}
            </Typography>
          ))}
    </div>
  );
}
