import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { ClusterError } from '@gitops-promotion/backstage-plugin-common';
import { describeClusterError } from '../../util/labels';
import { Age } from '../common/Age';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
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
  if (props.errors.length === 0) return null;
  return (
    <section aria-label="Cluster errors" className={classes.root}>
      {props.errors.map(error => (
        <Alert
          key={`${error.cluster}/${error.kind ?? ''}/${error.type}`}
          severity={error.degraded ? 'warning' : 'error'}
        >
          <AlertTitle>
            {error.cluster}: {describeClusterError(error)}
          </AlertTitle>
          <Typography variant="body2">{error.message}</Typography>
          <Typography variant="body2">
            Since <Age time={error.since} now={props.now} /> ago ·{' '}
            {error.lastSyncedAt ? (
              <>
                data shown is from{' '}
                <Age time={error.lastSyncedAt} now={props.now} /> ago
              </>
            ) : (
              'no data yet'
            )}
          </Typography>
        </Alert>
      ))}
    </section>
  );
}
