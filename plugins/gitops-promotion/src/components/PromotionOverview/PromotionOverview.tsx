import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  ClusterError,
  matchesOverviewFilter,
  OverviewRow,
} from '@gitops-promotion/backstage-plugin-common';
import { useMemo, useState } from 'react';
import { usePromotionOverview } from '../../hooks/usePromotionOverview';
import { gitopsPromotionTranslationRef } from '../../translation';
import { errorMessage } from '../../util/errorMessage';
import { OverviewCounts } from './OverviewCounts';
import {
  narrowedEnvironment,
  OverviewFilters,
  OverviewSelection,
} from './OverviewFilters';
import { ambiguousTitles, OverviewTable } from './OverviewTable';
import { ClusterErrorsBanner } from '../ClusterErrorsBanner/ClusterErrorsBanner';
import { useNow } from '../../hooks/useNow';
import { RefreshStatus } from '../common/RefreshStatus';
import { entityRefText } from '../../util/entityRefText';

/** Rows in groups by owner or system (those without one last), in the rows' order; no group for no rows. */
function groupRows(
  rows: OverviewRow[],
  groupBy: OverviewSelection['groupBy'],
): Array<{ key: string; rows: OverviewRow[] }> {
  if (rows.length === 0) return [];
  if (groupBy === 'none') return [{ key: '', rows }];
  const groups = new Map<string, OverviewRow[]>();
  for (const row of rows) {
    const key = row[groupBy] ?? '';
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  // Sorted by ref; the rows without one ('') go last.
  const keys = [...groups.keys()].sort((a, b) =>
    a && b ? a.localeCompare(b) : b.length - a.length,
  );
  return keys.map(key => ({ key, rows: groups.get(key)! }));
}

/**
 * The cluster errors with the clock their ages need: its ticks render
 * only this, not the overview's rows.
 */
function TickingClusterErrors(props: { errors: ClusterError[] }) {
  const now = useNow(15_000);
  return <ClusterErrorsBanner errors={props.errors} now={now} />;
}

/**
 * The promotion overview of a Group's or System's components, or of every
 * component the user may view (`scopeRef` absent): the counts, the
 * filters, and the rows, in groups on the page.
 */
export function PromotionOverview(props: {
  scopeRef?: string;
  groupable?: boolean;
}) {
  const { scopeRef, groupable = false } = props;
  const { overview, error, checkedAt, refresh } =
    usePromotionOverview(scopeRef);
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const [selection, setSelection] = useState<OverviewSelection>({
    filters: [],
    environment: '',
    groupBy: groupable ? 'owner' : 'none',
  });
  const environment = narrowedEnvironment(selection);
  const rows = useMemo(
    () =>
      overview?.rows.filter(row =>
        selection.filters.every(f =>
          matchesOverviewFilter(row, f, environment),
        ),
      ) ?? [],
    [overview, selection.filters, environment],
  );
  // Memoized with the rows: a poll answered 304 (the same overview, a new
  // `checkedAt`) renders the memoized tables again only if these change.
  const groups = useMemo(
    () => groupRows(rows, selection.groupBy),
    [rows, selection.groupBy],
  );
  const ambiguous = useMemo(() => ambiguousTitles(rows), [rows]);
  if (!overview) {
    return error ? (
      <ResponseErrorPanel
        error={error}
        title={t('overview.loadFailed', { error: errorMessage(error) })}
      />
    ) : (
      <Progress />
    );
  }
  const groupTitle = (key: string) => {
    if (key) {
      return entityRefText(key, {
        defaultKind: selection.groupBy === 'owner' ? 'group' : 'system',
      });
    }
    return selection.groupBy === 'owner'
      ? t('overview.noOwner')
      : t('overview.noSystem');
  };
  // On paper: the secondary texts' contrast is computed for the paper and
  // the theme's background, not for the page Backstage UI paints around it.
  return (
    <Paper>
      <Box p={2}>
        {checkedAt && (
          <RefreshStatus checkedAt={checkedAt} onRefresh={refresh} />
        )}
        {error && (
          <Box mb={2}>
            <Alert severity="warning">
              {t('overview.refreshFailed', { error: errorMessage(error) })}
            </Alert>
          </Box>
        )}
        {overview.truncated && (
          <Box mb={2}>
            <Alert severity="info">
              {t(groupable ? 'overview.truncated' : 'overview.truncatedScope', {
                count: overview.entitiesChecked,
              })}
            </Alert>
          </Box>
        )}
        {overview.unavailable.length > 0 && (
          <Box mb={2}>
            <Alert severity="error">
              {t('overview.unavailable', {
                count: overview.unavailable.length,
                entities: [
                  ...overview.unavailable.slice(0, 5).map(u => u.title),
                  ...(overview.unavailable.length > 5 ? ['…'] : []),
                ].join(', '),
              })}
            </Alert>
          </Box>
        )}
        {overview.clusterErrors.length > 0 && (
          <TickingClusterErrors errors={overview.clusterErrors} />
        )}
        <OverviewCounts overview={overview} />
        {overview.rows.length === 0 ? (
          <Typography>
            {overview.clusterErrors.length > 0
              ? t('overview.emptyUnread')
              : t('overview.empty')}
          </Typography>
        ) : (
          <>
            <OverviewFilters
              environments={overview.environments}
              selection={selection}
              onChange={setSelection}
              groupable={groupable}
            />
            {rows.length === 0 && (
              <Typography>{t('overview.noMatch')}</Typography>
            )}
            {groups.map(group => (
              <Box key={group.key} mb={3}>
                {selection.groupBy !== 'none' && (
                  <Typography variant="h6" component="h2">
                    {group.key ? (
                      <EntityRefLink entityRef={group.key} />
                    ) : (
                      groupTitle(group.key)
                    )}
                  </Typography>
                )}
                <OverviewTable
                  environments={overview.environments}
                  rows={group.rows}
                  filters={selection.filters}
                  filteredEnvironment={environment}
                  ambiguous={ambiguous}
                  label={
                    selection.groupBy === 'none'
                      ? t('overview.tableLabel')
                      : t('overview.groupTableLabel', {
                          group: groupTitle(group.key),
                        })
                  }
                />
              </Box>
            ))}
          </>
        )}
      </Box>
    </Paper>
  );
}
