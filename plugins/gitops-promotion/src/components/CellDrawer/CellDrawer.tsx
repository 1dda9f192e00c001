import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CloseIcon from '@material-ui/icons/Close';
import Alert from '@material-ui/lab/Alert';
import { Progress } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  CellSummary,
  EnvironmentSummary,
  ViewScope,
  WorkloadRowSummary,
} from '@gitops-promotion/backstage-plugin-common';
import { useId } from 'react';
import { useAllowedActions } from '../../hooks/useAllowedActions';
import { useCellDetail } from '../../hooks/useCellDetail';
import { gitopsPromotionTranslationRef } from '../../translation';
import { errorMessage } from '../../util/errorMessage';
import { refKey } from '../../util/refKey';
import { StateLabel } from '../common/StateLabel';
import { ClusterList } from './ClusterList';

const useStyles = makeStyles(theme => ({
  paper: {
    width: 'min(900px, 100vw)',
    padding: theme.spacing(3),
    // Names, messages and commands from clusters may be one long word.
    overflowWrap: 'anywhere',
  },
  header: {
    display: 'flex',
    alignItems: 'flex-start',
    justifyContent: 'space-between',
  },
  note: { marginTop: theme.spacing(1) },
}));

/**
 * The drill-down of a cell: per cluster, the root cause, the chain and its
 * events, loaded when it opens (the page view carries no chains) and kept
 * fresh as the page view is. A modal drawer: focus moves into it and
 * returns to the cell on close (Escape or the close button).
 */
export function CellDrawer(props: {
  row: WorkloadRowSummary;
  /** The row's name as the matrix tells it apart from the others. */
  workloadLabel: string;
  environment: EnvironmentSummary;
  cell: CellSummary;
  /** The page view: what a change signal is matched against. */
  scope: ViewScope;
  entityRef: string;
  now: number;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { row, environment, cell, scope, entityRef, now, onClose } = props;
  const classes = useStyles();
  const titleId = useId();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const detail = useCellDetail(entityRef, scope, environment.name, row.id);
  const clusters = detail.value?.cell.clusters;
  const where = { entityRef, scope, environment: environment.name, row };
  const actions = useAllowedActions(
    entityRef,
    environment.name,
    row.id,
    clusters
      ?.flatMap(c => c.chain.filter(l => l.found).map(l => refKey(l.ref)))
      .join(' '),
  );
  // An action changes the page view and this cell.
  const onChanged = () => {
    props.onChanged();
    detail.refresh();
  };
  return (
    <Drawer
      anchor="right"
      open
      onClose={onClose}
      PaperProps={{
        className: classes.paper,
        role: 'dialog',
        'aria-modal': true,
        'aria-labelledby': titleId,
      }}
    >
      <div className={classes.header}>
        <div>
          <Typography variant="h5" component="h2" id={titleId}>
            {t('drawer.title', {
              workload: props.workloadLabel,
              environment: environment.title,
            })}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {t(`kind.${row.kind}`)} · <StateLabel state={cell.state} />
          </Typography>
        </div>
        <IconButton aria-label={t('drawer.close')} onClick={onClose}>
          <CloseIcon />
        </IconButton>
      </div>
      {cell.notDeployedIn.length > 0 && (
        <Typography variant="body2" className={classes.note}>
          {t('drawer.notDeployedIn', {
            clusters: cell.notDeployedIn,
          })}
        </Typography>
      )}
      {cell.unavailableIn.length > 0 && (
        <Alert severity="warning" className={classes.note}>
          {t('drawer.noDataFrom', {
            clusters: cell.unavailableIn,
            count: cell.unavailableIn.length,
          })}
        </Alert>
      )}
      {cell.missingRemediation && (
        <Alert severity="warning" className={classes.note}>
          {t('remediation.advice', {
            environment: environment.title,
            helmReleases: cell.missingRemediation,
          })}
        </Alert>
      )}
      {detail.error && (
        <Alert
          severity={detail.value ? 'warning' : 'error'}
          className={classes.note}
        >
          {t(detail.value ? 'drawer.refreshFailed' : 'drawer.loadFailed', {
            error: errorMessage(detail.error),
          })}
        </Alert>
      )}
      {detail.value ? (
        <ClusterList
          detail={detail.value}
          where={where}
          entityRef={entityRef}
          now={now}
          actions={actions}
          onChanged={onChanged}
        />
      ) : (
        !detail.error && <Progress />
      )}
    </Drawer>
  );
}
