import { Link } from '@backstage/core-components';
// core-plugin-api's useRouteRef resolves in both frontend systems; the new
// system's one needs its route resolution API, which legacy apps lack.
import { useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  EnvironmentSummary,
  OverviewCell,
  OverviewRow,
  promotionCellQuery,
} from '@gitops-promotion/backstage-plugin-common';
import { usePromotionTabPath } from '../../hooks/usePromotionTabPath';
import {
  GitopsPromotionT,
  gitopsPromotionTranslationRef,
} from '../../translation';
import { readableText } from '../common/readableText';
import { StateLabel } from '../common/StateLabel';
import { PromotionMarker } from '../PromotionMatrix/PromotionMarker';

const useStyles = makeStyles(theme => ({
  container: { overflowX: 'auto' },
  // Fixed columns: the tables of a page (one per owner or system) line up.
  table: { tableLayout: 'fixed' },
  componentColumn: { width: '25%' },
  cell: { verticalAlign: 'top', overflowWrap: 'anywhere' },
  version: { display: 'block', fontFamily: 'monospace' },
  secondary: { display: 'block', color: readableText(theme, 'secondary') },
}));

/**
 * The environment whose drill-down a row opens: the one the filters look
 * at when the row needs attention there; else the most important one
 * where it fails (the last in order, as the counts put it first); else
 * the next promotion that waits.
 */
function attentionOf(
  row: OverviewRow,
  environment?: string,
): string | undefined {
  if (
    environment &&
    (row.failingIn.includes(environment) || row.pendingIn.includes(environment))
  ) {
    return environment;
  }
  return row.failingIn[row.failingIn.length - 1] ?? row.pendingIn[0];
}

/**
 * What a cell's link says to screen readers, where its label replaces the
 * content: everything the cell shows.
 */
function cellLabel(
  row: OverviewRow,
  cell: OverviewCell,
  environment: string,
  t: GitopsPromotionT,
): string {
  return [
    t('overview.openCell', {
      workload: t('overview.rowWorkload', {
        component: row.title,
        kind: t(`kind.${row.workload.kind}`),
        name: row.workload.name,
      }),
      environment,
    }),
    t(`state.${cell.state}`),
    ...(cell.version ? [t('cell.version', { version: cell.version })] : []),
    ...(cell.mixedVersions ? [t('overview.filter.mixed-versions')] : []),
    ...(cell.stale ? [t('overview.filter.stale')] : []),
  ].join(', ');
}

/**
 * The overview's rows: one per component and workload, a compact cell per
 * environment (state, version, the promotion marker against the one
 * before); a component links to its Promotion tab with the drill-down of
 * the cell that needs attention open, a cell to its own drill-down.
 */
export function OverviewTable(props: {
  environments: EnvironmentSummary[];
  rows: OverviewRow[];
  label: string;
  /** The environment the filters look at, if one. */
  filteredEnvironment?: string;
}) {
  const { environments, rows, label, filteredEnvironment } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const tabPath = usePromotionTabPath();
  const tabOf = (row: OverviewRow, environment?: string) => {
    if (!entityRoute) return undefined;
    const tab = `${entityRoute(
      entityRouteParams(row.entityRef, { encodeParams: true }),
    )}${tabPath}`;
    return environment
      ? `${tab}?${promotionCellQuery(row.workload.id, environment)}`
      : tab;
  };
  return (
    <div className={classes.container}>
      <Table
        size="small"
        aria-label={label}
        className={classes.table}
        style={{ minWidth: 140 * (environments.length + 1) }}
      >
        <TableHead>
          <TableRow>
            <TableCell className={classes.componentColumn}>
              {t('overview.component')}
            </TableCell>
            {environments.map(env => (
              <TableCell key={env.name}>{env.title}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(row => {
            const tab = tabOf(row, attentionOf(row, filteredEnvironment));
            return (
              <TableRow key={`${row.entityRef} ${row.workload.id}`}>
                <TableCell
                  component="th"
                  scope="row"
                  role="rowheader"
                  className={classes.cell}
                >
                  {tab ? <Link to={tab}>{row.title}</Link> : row.title}
                  <Typography variant="caption" className={classes.secondary}>
                    {t(`kind.${row.workload.kind}`)} {row.workload.name}
                  </Typography>
                </TableCell>
                {row.cells.map((cell, i) => {
                  const env = environments[i];
                  const cellTab =
                    cell.state === 'NotDeployed'
                      ? undefined
                      : tabOf(row, cell.environment);
                  const content = (
                    <>
                      <StateLabel state={cell.state} />
                      {cell.version && (
                        <Typography
                          variant="body2"
                          component="span"
                          className={classes.version}
                        >
                          {cell.version}
                        </Typography>
                      )}
                      {cell.mixedVersions && (
                        <Typography
                          variant="caption"
                          className={classes.secondary}
                        >
                          {t('overview.filter.mixed-versions')}
                        </Typography>
                      )}
                      {cell.stale && (
                        <Typography
                          variant="caption"
                          className={classes.secondary}
                        >
                          {t('overview.filter.stale')}
                        </Typography>
                      )}
                    </>
                  );
                  return (
                    <TableCell key={env?.name ?? i} className={classes.cell}>
                      <PromotionMarker
                        step={row.promotions[i - 1]}
                        environments={environments}
                      />
                      {cellTab ? (
                        <Link
                          to={cellTab}
                          color="inherit"
                          underline="none"
                          aria-label={cellLabel(
                            row,
                            cell,
                            env?.title ?? cell.environment,
                            t,
                          )}
                        >
                          {content}
                        </Link>
                      ) : (
                        content
                      )}
                    </TableCell>
                  );
                })}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
