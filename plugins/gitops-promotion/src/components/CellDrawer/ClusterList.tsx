import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ClusterCell } from '@gitops-promotion/backstage-plugin-common';
import { useId, useState } from 'react';
import { AsyncState } from 'react-use/esm/useAsync';
import { ActionDecisions } from '../../hooks/useAllowedActions';
import { gitopsPromotionTranslationRef } from '../../translation';
import { clusterName } from '../common/clusterName';
import { ClusterDetails } from './ClusterDetails';

/** Up to this many clusters, a cell shows every one in full. */
const ALL_EXPANDED = 3;

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

const keyOf = (c: ClusterCell) => `${c.cluster}/${c.namespace}`;

/**
 * A cell's clusters, usable at fleet scale: the clusters that need a look
 * (not Ready, or stale) in full, first; the Ready ones as a compact list of
 * buttons, each showing its cluster in full when pressed (a cell of a few
 * clusters shows them all).
 */
export function ClusterList(props: {
  clusters: ClusterCell[];
  entityRef: string;
  now: number;
  actions: AsyncState<ActionDecisions>;
  onChanged: () => void;
}) {
  const { clusters, entityRef, now, actions, onChanged } = props;
  const classes = useStyles();
  const headingId = useId();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const [opened, setOpened] = useState<ReadonlySet<string>>(new Set());
  const fine = (c: ClusterCell) => c.state === 'Ready' && !c.staleSince;
  const compact = clusters.length > ALL_EXPANDED ? clusters.filter(fine) : [];
  const expanded = clusters.filter(c => !compact.includes(c));
  const toggle = (key: string) =>
    setOpened(o => {
      const next = new Set(o);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  const details = (c: ClusterCell) => (
    <ClusterDetails
      key={keyOf(c)}
      cluster={c}
      entityRef={entityRef}
      now={now}
      actions={actions}
      onChanged={onChanged}
    />
  );
  return (
    <>
      {expanded.map(details)}
      {compact.length > 0 && (
        <section aria-labelledby={headingId} className={classes.group}>
          <Typography variant="h6" component="h3" id={headingId}>
            {t('drawer.readyClusters', { count: compact.length })}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {t('drawer.readyClustersHint')}
          </Typography>
          <ul className={classes.list}>
            {compact.map(c => (
              <li key={keyOf(c)}>
                <Button
                  size="small"
                  variant={opened.has(keyOf(c)) ? 'contained' : 'outlined'}
                  className={classes.name}
                  aria-expanded={opened.has(keyOf(c))}
                  onClick={() => toggle(keyOf(c))}
                >
                  {t('drawer.readyCluster', {
                    cluster: clusterName(c, clusters, t),
                    version: c.version ?? t('cluster.noVersionYet'),
                  })}
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {compact.filter(c => opened.has(keyOf(c))).map(details)}
    </>
  );
}
