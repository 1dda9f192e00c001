import { Progress } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  EnvironmentFailures,
  PromotionViewSummary,
  summarizeHistory,
  VersionHistory,
  VersionInEnvironment,
  WorkloadHistory,
} from '@gitops-promotion/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useMemo } from 'react';
import { usePromotionHistory } from '../../hooks/usePromotionHistory';
import {
  GitopsPromotionT,
  gitopsPromotionTranslationRef,
} from '../../translation';
import { formatDuration } from '../../util/age';
import { dateTimeParam as at } from '../../util/dateTime';
import { errorMessage } from '../../util/errorMessage';
import { readableText } from '../common/readableText';

/** When the version reached each cluster: a disclosure (keyboard and touch open it, unlike a tooltip). */
function ClusterArrivals(props: { cell: VersionInEnvironment }) {
  const { clusters } = props.cell;
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  if (clusters.length === 0) return null;
  return (
    <details>
      <summary>
        <Typography variant="caption" color="textSecondary">
          {t('promotionHistory.clusters', {
            // A cluster it reached twice (rolled back to) counts once.
            count: new Set(clusters.map(c => c.cluster)).size,
          })}
        </Typography>
      </summary>
      {clusters.map(c => (
        <Typography
          key={`${c.cluster}/${c.reachedAt}`}
          variant="caption"
          display="block"
        >
          {t(
            c.before
              ? 'promotionHistory.clusterReachedBefore'
              : 'promotionHistory.clusterReached',
            { cluster: c.cluster, ...at(c.reachedAt) },
          )}
        </Typography>
      ))}
    </details>
  );
}

// The palette's error red is below 4.5:1 on Backstage's page backgrounds.
const useStyles = makeStyles(theme => ({
  failed: { color: readableText(theme, 'error') },
}));

function VersionCell(props: { cell: VersionInEnvironment }) {
  const { cell } = props;
  const { failed } = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  return (
    <TableCell>
      {cell.reachedAt ? (
        <>
          <Typography variant="body2">
            {t(
              cell.reachedBefore
                ? 'promotionHistory.reachedBefore'
                : 'promotionHistory.reached',
              at(cell.reachedAt),
            )}
          </Typography>
          <Typography variant="caption" color="textSecondary">
            {cell.current || cell.stayedMs === undefined
              ? t('promotionHistory.running')
              : t(
                  cell.reachedBefore
                    ? 'promotionHistory.stayedAtLeast'
                    : 'promotionHistory.stayed',
                  { duration: formatDuration(cell.stayedMs, t) },
                )}
          </Typography>
        </>
      ) : (
        <Typography variant="body2" color="textSecondary">
          {t('promotionHistory.notReached')}
        </Typography>
      )}
      {cell.failedAttempts > 0 && (
        <Typography variant="caption" display="block" className={failed}>
          {t('promotionHistory.failedAttempts', { count: cell.failedAttempts })}
        </Typography>
      )}
      <ClusterArrivals cell={cell} />
    </TableCell>
  );
}

function LeadTime(props: { version: VersionHistory; lastTitle: string }) {
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const { leadTimeMs } = props.version;
  return (
    <TableCell>
      {leadTimeMs !== undefined &&
        t('promotionHistory.leadTimeValue', {
          duration: formatDuration(leadTimeMs, t),
          environment: props.lastTitle,
        })}
    </TableCell>
  );
}

/** One failure of an environment, as one sentence: where, when, how it ended, why. */
function failureLine(
  f: EnvironmentFailures['failures'][number],
  t: GitopsPromotionT,
): string {
  const where = { cluster: f.cluster, ...at(f.failedAt) };
  const duration =
    f.restoreMs === undefined ? undefined : formatDuration(f.restoreMs, t);
  if (f.summary) {
    return duration === undefined
      ? t('promotionHistory.failureStillWhy', { ...where, summary: f.summary })
      : t('promotionHistory.failureRestoredWhy', {
          ...where,
          duration,
          summary: f.summary,
        });
  }
  return duration === undefined
    ? t('promotionHistory.failureStill', where)
    : t('promotionHistory.failureRestored', { ...where, duration });
}

function Failures(props: { failures: EnvironmentFailures; title: string }) {
  const { failures, title } = props;
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  if (failures.failures.length === 0) {
    return (
      <Typography variant="body2">
        {t('promotionHistory.noFailures', { environment: title })}
      </Typography>
    );
  }
  return (
    <Box mb={1}>
      <Typography variant="body2">
        {failures.meanRestoreMs === undefined
          ? t('promotionHistory.failures', {
              environment: title,
              count: failures.failures.length,
            })
          : t('promotionHistory.failuresRestored', {
              environment: title,
              count: failures.failures.length,
              duration: formatDuration(failures.meanRestoreMs, t),
            })}
      </Typography>
      <ul>
        {failures.failures.map(f => (
          <li key={`${f.cluster}/${f.failedAt}`}>
            <Typography variant="caption">{failureLine(f, t)}</Typography>
          </li>
        ))}
      </ul>
    </Box>
  );
}

function WorkloadTable(props: {
  history: WorkloadHistory;
  view: PromotionViewSummary;
}) {
  const { history, view } = props;
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const row = view.workloads.find(w => w.id === history.workload);
  const name = row
    ? t('promotionHistory.workload', {
        kind: t(`kind.${row.kind}`),
        name: row.name,
      })
    : history.workload;
  const titles = view.environments.map(e => e.title);
  return (
    <Box mb={3}>
      <Typography variant="subtitle1">{name}</Typography>
      <Table
        size="small"
        aria-label={t('promotionHistory.tableLabel', { workload: name })}
      >
        <TableHead>
          <TableRow>
            <TableCell>{t('promotionHistory.version')}</TableCell>
            {titles.map(title => (
              <TableCell key={title}>{title}</TableCell>
            ))}
            <TableCell>{t('promotionHistory.leadTime')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {history.versions.map(version => (
            <TableRow key={version.version}>
              <TableCell component="th" scope="row" role="rowheader">
                {version.version}
              </TableCell>
              {version.environments.map(cell => (
                <VersionCell key={cell.environment} cell={cell} />
              ))}
              <LeadTime
                version={version}
                lastTitle={titles[titles.length - 1]}
              />
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Box mt={1}>
        <Typography variant="body2" color="textSecondary">
          {t('promotionHistory.failuresTitle')}
        </Typography>
        {history.environments.map((f, i) => (
          <Failures key={f.environment} failures={f} title={titles[i]} />
        ))}
      </Box>
    </Box>
  );
}

/**
 * The promotion history of the entity's workloads, from the backend's
 * journal: per workload, its versions newest first across the
 * environments (when each got there, failed attempts, how long it ran,
 * lead time), then each environment's failures and time to restore.
 */
export function PromotionHistory(props: {
  view: PromotionViewSummary;
  entityRef: string;
}) {
  const { view, entityRef } = props;
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  // Read again when the view changed: a new version or state is a new entry.
  const { value, error, loading, retry } = usePromotionHistory(
    entityRef,
    view.generatedAt,
  );
  const histories = useMemo(
    () =>
      value
        ? summarizeHistory(
            value.entries,
            view.environments.map(e => e.name),
            new Date(),
            { truncated: value.truncated },
          )
        : [],
    [value, view.environments],
  );
  if (loading && !value) return <Progress />;
  const failed = error && (
    <Alert
      severity="warning"
      action={
        <Button color="inherit" size="small" onClick={retry}>
          {t('common.retry')}
        </Button>
      }
    >
      {t(
        value
          ? 'promotionHistory.refreshFailed'
          : 'promotionHistory.loadFailed',
        {
          error: errorMessage(error),
        },
      )}
    </Alert>
  );
  if (!value) return failed || null;
  if (histories.length === 0) {
    return (
      <>
        {failed}
        <Typography variant="body2">{t('promotionHistory.empty')}</Typography>
      </>
    );
  }
  return (
    <>
      {failed}
      {histories.map(h => (
        <WorkloadTable key={h.workload} history={h} view={view} />
      ))}
      {value?.truncated && (
        <Typography variant="caption">
          {t('promotionHistory.truncated')}
        </Typography>
      )}
    </>
  );
}
