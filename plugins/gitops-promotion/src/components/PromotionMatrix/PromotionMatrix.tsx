import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { memo, useState } from 'react';
import {
  CellSummary,
  EnvironmentSummary,
  PromotionStep,
  PromotionViewSummary,
} from '@gitops-promotion/backstage-plugin-common';
import {
  GitopsPromotionT,
  gitopsPromotionTranslationRef,
} from '../../translation';
import { workloadLabels } from '../../util/labels';
import { someClusters } from '../common/clusterName';
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

/** A selection as one string, for comparisons. */
export const cellKey = (selection: CellSelection) =>
  `${selection.rowId} ${selection.environment}`;

/** The button of a cell in the matrix under `root`, if shown. */
export function cellButton(
  root: HTMLElement,
  selection: CellSelection,
): HTMLElement | undefined {
  const cell = Array.from(
    root.querySelectorAll<HTMLElement>('[data-workload][data-environment]'),
  ).find(
    td =>
      td.dataset.workload === selection.rowId &&
      td.dataset.environment === selection.environment,
  );
  return cell?.querySelector<HTMLElement>('button') ?? undefined;
}

/**
 * An environment's clusters under its title: a few names and how many
 * more (a column header is read with each of its cells, and a sandbox
 * environment may have fifty); the drill-down lists them all.
 */
function clusterNames(env: EnvironmentSummary, t: GitopsPromotionT): string {
  const names = [...new Set(env.clusters.map(c => c.cluster))];
  return t('matrix.clusters', { clusters: someClusters(names, t) });
}

/**
 * A workload in an environment: how it stands against the environment
 * before, and the cell's button. While the button has the keyboard focus,
 * the tooltips of the marker and of the mixed-versions chip show: a mouse
 * hovers them, the keyboard cannot reach them (the chip is inside the
 * button).
 */
function MatrixCell(props: {
  className: string;
  rowId: string;
  workload: string;
  environment: EnvironmentSummary;
  environments: EnvironmentSummary[];
  cell: CellSummary;
  step?: PromotionStep;
  now: number;
  onOpen: (selection: CellSelection) => void;
}) {
  const { rowId, environment, onOpen } = props;
  const [keyboardFocus, setKeyboardFocus] = useState(false);
  return (
    <TableCell
      className={props.className}
      data-workload={rowId}
      data-environment={environment.name}
    >
      <PromotionMarker
        step={props.step}
        environments={props.environments}
        open={keyboardFocus}
      />
      <EnvironmentCell
        workload={props.workload}
        environment={environment}
        cell={props.cell}
        now={props.now}
        onOpen={() => onOpen({ rowId, environment: environment.name })}
        keyboardFocus={keyboardFocus}
        onKeyboardFocus={setKeyboardFocus}
      />
    </TableCell>
  );
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
              {row.cells.map((cell, i) => (
                <MatrixCell
                  key={view.environments[i].name}
                  className={classes.cell}
                  rowId={row.id}
                  workload={labels.get(row.id) ?? row.name}
                  environment={view.environments[i]}
                  environments={view.environments}
                  cell={cell}
                  step={row.promotions[i - 1]}
                  now={now}
                  onOpen={onOpen}
                />
              ))}
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
