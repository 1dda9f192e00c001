import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ClusterCell } from '@gitops-promotion/backstage-plugin-common';
import { useId } from 'react';
import { gitopsPromotionTranslationRef } from '../../translation';
import { AsyncStateRetry } from 'react-use/esm/useAsyncRetry';
import { ActionDecisions } from '../../hooks/useAllowedActions';
import { refKey } from '../../util/refKey';
import { Age } from '../common/Age';
import { clusterKey } from '../common/clusterName';
import { QuietAlert } from '../common/QuietAlert';
import { StateLabel } from '../common/StateLabel';
import { ChainLinkCard } from './ChainLinkCard';
import { RootCauseCard } from './RootCauseCard';
import { WorkloadActions } from './WorkloadActions';

const useStyles = makeStyles(theme => ({
  root: {
    paddingTop: theme.spacing(2),
    marginTop: theme.spacing(2),
    borderTop: `1px solid ${theme.palette.divider}`,
  },
  summary: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  version: { fontFamily: 'monospace' },
  block: { marginBottom: theme.spacing(2) },
}));

/**
 * A workload in one cluster: the root cause first, then the actions, then
 * the chain a person would walk to find it.
 */
export function ClusterDetails(props: {
  cluster: ClusterCell;
  entityRef: string;
  now: number;
  /** What the user may do to each link, as the backend decides. */
  actions: AsyncStateRetry<ActionDecisions | undefined>;
  /** After an action, with what to say of it. */
  onChanged: (done: string) => void;
}) {
  const { cluster, entityRef, now, actions, onChanged } = props;
  const classes = useStyles();
  const headingId = useId();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const { rootCause } = cluster;
  const workload = cluster.chain.find(l => l.role === 'workload');
  return (
    <section aria-labelledby={headingId} className={classes.root}>
      <Typography
        variant="h6"
        component="h3"
        id={headingId}
        // Where the focus returns when a refresh moved this cluster here.
        tabIndex={-1}
        data-cluster={clusterKey(cluster)}
      >
        {cluster.cluster}
      </Typography>
      <div className={classes.summary}>
        <StateLabel state={cluster.state} />
        {cluster.since && (
          <Typography variant="body2" color="textSecondary">
            {t('age.for', { age: <Age time={cluster.since} now={now} /> })}
          </Typography>
        )}
        <Typography variant="body2" className={classes.version}>
          {cluster.version ?? t('cluster.noVersionYet')}
          {cluster.targetVersion && ` → ${cluster.targetVersion}`}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {!rootCause && cluster.phase
            ? t('cluster.namespaceAndPhase', {
                namespace: cluster.namespace,
                phase: cluster.phase,
              })
            : t('cluster.namespace', { namespace: cluster.namespace })}
        </Typography>
      </div>
      {cluster.staleSince && (
        <QuietAlert
          severity="warning"
          className={classes.block}
          ticking={t('cluster.staleFor', {
            age: <Age time={cluster.staleSince} now={now} />,
          })}
        >
          {t('cluster.stale', { cluster: cluster.cluster })}
        </QuietAlert>
      )}
      {rootCause && (
        <RootCauseCard
          rootCause={rootCause}
          state={cluster.state}
          phase={cluster.phase}
          retry={cluster.retry}
        />
      )}
      {workload && (
        <div className={classes.block}>
          <WorkloadActions
            entityRef={entityRef}
            workload={workload.ref}
            rootCause={rootCause?.ref}
            suspended={cluster.state === 'Suspended'}
            decisions={actions}
            onDone={onChanged}
          />
        </div>
      )}
      <Typography variant="subtitle1" component="h4" gutterBottom>
        {t('cluster.chain')}
      </Typography>
      {cluster.chain.map(link => (
        <ChainLinkCard
          key={refKey(link.ref)}
          link={link}
          entityRef={entityRef}
          now={now}
          isRootCause={
            !!rootCause && refKey(rootCause.ref) === refKey(link.ref)
          }
        />
      ))}
    </section>
  );
}
