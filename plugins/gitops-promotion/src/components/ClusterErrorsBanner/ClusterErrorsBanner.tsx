import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ClusterError } from '@gitops-promotion/backstage-plugin-common';
import { gitopsPromotionTranslationRef } from '../../translation';
import { describeClusterError } from '../../util/labels';
import { Age } from '../common/Age';
import { QuietAlert } from '../common/QuietAlert';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
    overflowWrap: 'anywhere',
  },
}));

/**
 * Clusters (or kinds on them) the backend cannot read, each with the age of
 * the data still shown for it. Shown beside the matrix, never instead of it.
 */
export function ClusterErrorsBanner(props: {
  errors: ClusterError[];
  now: number;
}) {
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  if (props.errors.length === 0) return null;
  return (
    <section aria-label={t('clusterErrors.label')} className={classes.root}>
      {props.errors.map(error => (
        <QuietAlert
          key={`${error.cluster}/${error.kind ?? ''}/${error.type}`}
          severity={error.degraded ? 'warning' : 'error'}
          ticking={
            <Typography variant="body2">
              {error.lastSyncedAt
                ? t('clusterErrors.sinceWithData', {
                    since: <Age time={error.since} now={props.now} />,
                    synced: <Age time={error.lastSyncedAt} now={props.now} />,
                  })
                : t('clusterErrors.sinceNoData', {
                    since: <Age time={error.since} now={props.now} />,
                  })}
            </Typography>
          }
        >
          <AlertTitle>
            {t('clusterErrors.title', {
              cluster: error.cluster,
              problem: describeClusterError(error, t),
            })}
          </AlertTitle>
          <Typography variant="body2">{error.message}</Typography>
        </QuietAlert>
      ))}
    </section>
  );
}
