import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  ClusterCell,
  ClusterInBrief,
  EnvironmentCell,
  EnvironmentSummary,
} from '@gitops-promotion/backstage-plugin-common';
import { ReactNode } from 'react';
import {
  GitopsPromotionT,
  gitopsPromotionTranslationRef,
} from '../../translation';
import { StateLabel } from '../common/StateLabel';
import { clusterName } from '../common/clusterName';

const useStyles = makeStyles(theme => ({
  value: { fontFamily: 'monospace', wordBreak: 'break-all' },
  list: { margin: 0, paddingLeft: '1.2em' },
  source: { display: 'block', color: theme.palette.text.secondary },
}));

/** `<scheme>:<12 hex>` per digest: a Release's digest joins one per HelmRelease. */
function shortDigest(digest: string): string {
  return digest
    .split(',')
    .map(d => d.replace(/([0-9a-f]{12})[0-9a-f]+$/, '$1'))
    .join(', ');
}

/** One environment of the comparison and the cluster read for it. */
export interface CompareSide {
  environment: EnvironmentSummary;
  /** The cell, with the clusters its answer gives in full. */
  cell: EnvironmentCell;
  /** Its other clusters, in brief. */
  inBrief: ClusterInBrief[];
  /** Absent when no cluster of the environment runs the workload. */
  cluster?: ClusterCell;
}

/** Every cluster of the environment, the ones without the workload included. */
function environmentClusters(side: CompareSide, t: GitopsPromotionT): string[] {
  const { cell } = side;
  const running = [...cell.clusters, ...side.inBrief];
  return [
    ...running.map(c =>
      t('compare.columns.cluster', {
        cluster: clusterName(c, running, t),
        version: c.version ?? t('mixedVersions.noVersion'),
        state: t(`state.${c.state}`),
      }),
    ),
    ...cell.notDeployedIn.map(cluster =>
      t('compare.columns.notDeployed', { cluster }),
    ),
    ...cell.unavailableIn.map(cluster =>
      t('compare.columns.noData', { cluster }),
    ),
  ];
}

/**
 * Two environments side by side. State, version, revision and config digest
 * are those of the cluster read for each (named under the environment), as
 * the values diff is; the last row is the whole environment.
 */
export function EnvironmentColumns(props: { sides: CompareSide[] }) {
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const { sides } = props;
  const row = (label: string, value: (side: CompareSide) => ReactNode) => (
    <TableRow>
      <TableCell component="th" scope="row" role="rowheader">
        {label}
      </TableCell>
      {sides.map((side, i) => (
        <TableCell key={i} className={classes.value}>
          {value(side) || '—'}
        </TableCell>
      ))}
    </TableRow>
  );
  return (
    <Table size="small" aria-label={t('compare.columns.label')}>
      <TableHead>
        <TableRow>
          <TableCell />
          {sides.map(({ environment, cluster }, i) => (
            <TableCell key={i}>
              {environment.title}
              {cluster && (
                <Typography variant="caption" className={classes.source}>
                  {t('compare.columns.readFrom', {
                    cluster: cluster.cluster,
                    namespace: cluster.namespace,
                  })}
                </Typography>
              )}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {row(t('compare.columns.state'), side => (
          <StateLabel state={side.cluster?.state ?? side.cell.state} />
        ))}
        {row(t('compare.columns.version'), side => side.cluster?.version)}
        {row(t('compare.columns.revision'), side => side.cluster?.revision)}
        {row(
          t('compare.columns.configDigest'),
          side =>
            side.cluster?.configDigest &&
            shortDigest(side.cluster.configDigest),
        )}
        {row(t('compare.columns.allClusters'), side => {
          const lines = environmentClusters(side, t);
          return (
            lines.length > 0 && (
              <ul className={classes.list}>
                {lines.map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            )
          );
        })}
      </TableBody>
    </Table>
  );
}
