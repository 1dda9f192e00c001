import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  ObjectState,
  RetryState,
  RootCause,
} from '@gitops-promotion/backstage-plugin-common';
import { gitopsPromotionTranslationRef } from '../../translation';
import { CommandBlock } from './CommandBlock';

const useStyles = makeStyles(theme => ({
  alert: { marginBottom: theme.spacing(2) },
  message: { flex: 1, minWidth: 0 },
  phase: { marginLeft: theme.spacing(1) },
  steps: { marginTop: theme.spacing(1) },
}));

function severity(state: ObjectState) {
  if (state === 'Failed') return 'error';
  if (state === 'Suspended') return 'info';
  return 'warning';
}

/**
 * Why a workload is not ready in one cluster, in plain words, with the
 * KuboCD phase (which alone would hide the cause) and commands to look
 * further.
 */
export function RootCauseCard(props: {
  rootCause: RootCause;
  state: ObjectState;
  phase?: string;
  retry?: RetryState;
}) {
  const { rootCause, state, phase, retry } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  return (
    <Alert
      severity={severity(state)}
      className={classes.alert}
      classes={{ message: classes.message }}
    >
      <AlertTitle>
        {t(`category.${rootCause.category}`)}
        {phase && (
          <Chip
            size="small"
            label={t('rootCause.phase', { phase })}
            className={classes.phase}
          />
        )}
      </AlertTitle>
      <Typography variant="body2">{rootCause.summary}</Typography>
      {retry && (
        <Typography variant="body2">
          <strong>
            {t('rootCause.retry', { retry: t(`retry.${retry}`) })}
          </strong>
        </Typography>
      )}
      {rootCause.nextSteps.length > 0 && (
        <div className={classes.steps}>
          <Typography variant="subtitle2" component="h5">
            {t('rootCause.lookFurther')}
          </Typography>
          {rootCause.nextSteps.map(command => (
            <CommandBlock key={command} command={command} />
          ))}
        </div>
      )}
    </Alert>
  );
}
