import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { Progress } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  CellDetail,
  ClusterInBrief,
  ViewScope,
  WorkloadRowSummary,
} from '@gitops-promotion/backstage-plugin-common';
import { useId, useState } from 'react';
import { AsyncState } from 'react-use/esm/useAsync';
import { ActionDecisions } from '../../hooks/useAllowedActions';
import { useCellDetail } from '../../hooks/useCellDetail';
import { gitopsPromotionTranslationRef } from '../../translation';
import { errorMessage } from '../../util/errorMessage';
import { ClusterDetails } from './ClusterDetails';

const useStyles = makeStyles(theme => ({
  group: {
    paddingTop: theme.spacing(2),
    marginTop: theme.spacing(2),
    borderTop: `1px solid ${theme.palette.divider}`,
  },
  list: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    listStyle: 'none',
    padding: 0,
    margin: theme.spacing(1, 0, 0),
  },
  name: { fontFamily: 'monospace', textTransform: 'none' },
}));

/** The cell a drawer shows: what asking for one of its clusters takes. */
export interface CellWhere {
  entityRef: string;
  scope: ViewScope;
  environment: string;
  row: WorkloadRowSummary;
}

interface Shared {
  entityRef: string;
  now: number;
  actions: AsyncState<ActionDecisions>;
  onChanged: () => void;
}

const keyOf = (c: { cluster: string; namespace: string }) =>
  `${c.cluster}/${c.namespace}`;

/** A Ready cluster given in brief, asked for in full once opened. */
function OpenedCluster(
  props: Shared & { where: CellWhere; brief: ClusterInBrief },
) {
  const { where, brief } = props;
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const detail = useCellDetail(
    where.entityRef,
    where.scope,
    where.environment,
    where.row.id,
    brief.cluster,
  );
  const cluster = detail.value?.cell.clusters.find(
    c => keyOf(c) === keyOf(brief),
  );
  if (cluster) {
    const { entityRef, now, actions } = props;
    return (
      <ClusterDetails
        cluster={cluster}
        entityRef={entityRef}
        now={now}
        actions={actions}
        onChanged={() => {
          props.onChanged();
          detail.refresh();
        }}
      />
    );
  }
  if (detail.error) {
    return (
      <Alert severity="error">
        {t('drawer.loadFailed', { error: errorMessage(detail.error) })}
      </Alert>
    );
  }
  return <Progress />;
}

/**
 * A cell's clusters, usable at fleet scale: those the answer gives in
 * full (the ones that need a look, or all of a few) with their chains;
 * the other, Ready ones as a compact list of buttons, each asking for its
 * cluster's chain and showing it when pressed.
 */
export function ClusterList(
  props: Shared & { detail: CellDetail; where: CellWhere },
) {
  const { detail, where, ...shared } = props;
  const classes = useStyles();
  const headingId = useId();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const [opened, setOpened] = useState<ReadonlySet<string>>(new Set());
  const { inBrief } = detail;
  const toggle = (key: string) =>
    setOpened(o => {
      const next = new Set(o);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  // A cluster in several namespaces is named with the namespace.
  const twice = (c: ClusterInBrief) =>
    inBrief.filter(o => o.cluster === c.cluster).length > 1;
  return (
    <>
      {detail.cell.clusters.map(c => (
        <ClusterDetails key={keyOf(c)} {...shared} cluster={c} />
      ))}
      {inBrief.length > 0 && (
        <section aria-labelledby={headingId} className={classes.group}>
          <Typography variant="h6" component="h3" id={headingId}>
            {t('drawer.readyClusters', { count: inBrief.length })}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {t('drawer.readyClustersHint')}
          </Typography>
          <ul className={classes.list}>
            {inBrief.map(c => (
              <li key={keyOf(c)}>
                <Button
                  size="small"
                  variant={opened.has(keyOf(c)) ? 'contained' : 'outlined'}
                  className={classes.name}
                  aria-expanded={opened.has(keyOf(c))}
                  onClick={() => toggle(keyOf(c))}
                >
                  {t('drawer.readyCluster', {
                    cluster: twice(c)
                      ? t('compare.clusterInNamespace', {
                          cluster: c.cluster,
                          namespace: c.namespace,
                        })
                      : c.cluster,
                    version: c.version ?? t('cluster.noVersionYet'),
                  })}
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {inBrief
        .filter(c => opened.has(keyOf(c)))
        .map(c => (
          <OpenedCluster key={keyOf(c)} {...shared} where={where} brief={c} />
        ))}
    </>
  );
}
