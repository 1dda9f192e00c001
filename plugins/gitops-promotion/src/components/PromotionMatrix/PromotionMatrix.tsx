import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { memo } from 'react';
import {
  EnvironmentSummary,
  PromotionViewSummary,
} from '@gitops-promotion/backstage-plugin-common';
import {
  GitopsPromotionT,
  gitopsPromotionTranslationRef,
} from '../../translation';
import { workloadLabels } from '../../util/labels';
import { EnvironmentCell } from './EnvironmentCell';
import { PromotionMarker } from './PromotionMarker';

const useStyles = makeStyles(theme => ({
  container: { overflowX: 'auto' },
  cell: { verticalAlign: 'top', minWidth: 160 },
  clusters: { display: 'block', color: theme.palette.text.secondary },
}));

/** Which cell the user opened: a workload row and an environment. */
export interface CellSelection {
  rowId: string;
  environment: string;
}

/** Clusters a header names before it counts the rest. */
const NAMED_CLUSTERS = 3;

/**
 * An environment's clusters under its title: a few names and how many
 * more (a column header is read with each of its cells, and a sandbox
 * environment may have fifty); the drill-down lists them all.
 */
function clusterNames(env: EnvironmentSummary, t: GitopsPromotionT): string {
  const names = [...new Set(env.clusters.map(c => c.cluster))];
  const shown = names.slice(0, NAMED_CLUSTERS).join(', ');
  return names.length > NAMED_CLUSTERS
    ? t('matrix.clustersAndMore', {
        clusters: shown,
        count: names.length - NAMED_CLUSTERS,
      })
    : shown;
}

/**
 * One row per workload, one column per environment in promotion order;
 * each cell but the first says how it stands against the one before.
 */
function PromotionMatrixTable(props: {
  view: PromotionViewSummary;
  now: number;
  onOpen: (selection: CellSelection) => void;
}) {
  const { view, now, onOpen } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const labels = workloadLabels(view.workloads, t);
  return (
    <div className={classes.container}>
      <Table size="small" aria-label={t('matrix.label')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('matrix.workload')}</TableCell>
            {view.environments.map(env => (
              <TableCell key={env.name}>
                {env.title}
                <Typography variant="caption" className={classes.clusters}>
                  {clusterNames(env, t)}
                </Typography>
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {view.workloads.map(row => (
            <TableRow key={row.id}>
              <TableCell
                component="th"
                scope="row"
                role="rowheader"
                className={classes.cell}
              >
                <Typography variant="subtitle2" component="span">
                  {row.name}
                </Typography>
                <Typography variant="caption" className={classes.clusters}>
                  {t(`kind.${row.kind}`)}
                  {row.namespaces.length > 0 &&
                    ` · ${row.namespaces.join(', ')}`}
                </Typography>
              </TableCell>
              {row.cells.map((cell, i) => {
                const env = view.environments[i];
                return (
                  <TableCell key={env.name} className={classes.cell}>
                    <PromotionMarker
                      step={row.promotions[i - 1]}
                      environments={view.environments}
                    />
                    <EnvironmentCell
                      workload={labels.get(row.id) ?? row.name}
                      environment={env}
                      cell={cell}
                      now={now}
                      onOpen={() =>
                        onOpen({ rowId: row.id, environment: env.name })
                      }
                    />
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/**
 * Memoized: a poll answered 304 hands back the same view, and rendering
 * every cell again for it took 50-190 ms in jsdom (20-100 rows).
 */
export const PromotionMatrix = memo(PromotionMatrixTable);
