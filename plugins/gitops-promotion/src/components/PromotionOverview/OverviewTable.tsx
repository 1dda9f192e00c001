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
  matchesOverviewFilter,
  OverviewCell,
  OverviewFilter,
  OverviewRow,
  promotionCellQuery,
} from '@gitops-promotion/backstage-plugin-common';
import { memo } from 'react';
import { usePromotionTabPath } from '../../hooks/usePromotionTabPath';
import { entityRefText } from '../../util/entityRefText';
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
 * at when the row matches one of them there (the reason it shows); else
 * the most important one where it fails (the last in order, as the
 * counts put it first); else the next promotion that waits.
 */
function attentionOf(
  row: OverviewRow,
  filters: readonly OverviewFilter[],
  environment?: string,
): string | undefined {
  if (
    environment &&
    filters.some(filter => matchesOverviewFilter(row, filter, environment))
  ) {
    return environment;
  }
  return row.failingIn[row.failingIn.length - 1] ?? row.pendingIn[0];
}

/**
 * The titles of the rows shown that more than one entity has (the same
 * name in two namespaces, say): those rows name their entity's ref too.
 */
export function ambiguousTitles(rows: OverviewRow[]): ReadonlySet<string> {
  const refsByTitle = new Map<string, Set<string>>();
  for (const row of rows) {
    const refs = refsByTitle.get(row.title) ?? new Set<string>();
    refs.add(row.entityRef);
    refsByTitle.set(row.title, refs);
  }
  return new Set(
    [...refsByTitle]
      .filter(([, refs]) => refs.size > 1)
      .map(([title]) => title),
  );
}

/**
 * A row's component as the header and the cell labels name it: its title,
 * with its ref (namespace always, kind unless a component) when another
 * entity shown has the same title; the ref alone when the title is the
 * entity's name.
 */
function rowTitle(
  row: OverviewRow,
  ambiguous: ReadonlySet<string>,
  t: GitopsPromotionT,
): string {
  if (!ambiguous.has(row.title)) return row.title;
  const ref = entityRefText(row.entityRef, {
    defaultKind: 'component',
    namespace: 'always',
  });
  return ref.endsWith(`/${row.title}`)
    ? ref
    : t('overview.titleWithRef', { title: row.title, ref });
}

/**
 * What a cell's link says to screen readers, where its label replaces the
 * content: everything the cell shows.
 */
function cellLabel(
  row: OverviewRow,
  title: string,
  cell: OverviewCell,
  environment: string,
  t: GitopsPromotionT,
): string {
  return [
    t('overview.openCell', {
      workload: t('overview.rowWorkload', {
        component: title,
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
function OverviewRowsTable(props: {
  environments: EnvironmentSummary[];
  rows: OverviewRow[];
  label: string;
  /** The filters on. */
  filters: readonly OverviewFilter[];
  /** The environment the filters look at, if one. */
  filteredEnvironment?: string;
  /** The titles shared by more than one entity shown (ambiguousTitles). */
  ambiguous: ReadonlySet<string>;
}) {
  const { environments, rows, label, filters, filteredEnvironment, ambiguous } =
    props;
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
            const tab = tabOf(
              row,
              attentionOf(row, filters, filteredEnvironment),
            );
            const title = rowTitle(row, ambiguous, t);
            return (
              <TableRow key={`${row.entityRef} ${row.workload.id}`}>
                <TableCell
                  component="th"
                  scope="row"
                  role="rowheader"
                  className={classes.cell}
                >
                  {tab ? <Link to={tab}>{title}</Link> : title}
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
                            title,
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

/**
 * The overview's rows (OverviewRowsTable): memoized, so a poll answered
 * 304 (the same overview, a new `checkedAt`) or the clock of the cluster
 * errors does not render the rows again.
 */
export const OverviewTable = memo(OverviewRowsTable);
