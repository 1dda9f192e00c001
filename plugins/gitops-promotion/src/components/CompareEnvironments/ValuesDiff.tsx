import { useMemo } from 'react';
import Button from '@material-ui/core/Button';
import { Progress } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { alpha, makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  ClusterCell,
  gitopsPromotionValuesReadPermission,
  ValuesComparison,
} from '@gitops-promotion/backstage-plugin-common';
import { useValuesComparison } from '../../hooks/useValuesComparison';
import { gitopsPromotionTranslationRef } from '../../translation';
import { errorMessage } from '../../util/errorMessage';
import { readableText } from '../common/readableText';
import { visuallyHidden } from '../common/visuallyHidden';
import { DiffRow, diffRows } from './diffRows';
import { valuesYaml } from './helmValues';

const useStyles = makeStyles(theme => ({
  diff: {
    fontFamily: 'monospace',
    fontSize: '0.85em',
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    overflowX: 'auto',
    padding: theme.spacing(0.5, 0),
    color: theme.palette.text.primary,
  },
  row: { whiteSpace: 'pre', padding: theme.spacing(0, 1) },
  added: { backgroundColor: alpha(theme.palette.success.main, 0.2) },
  removed: { backgroundColor: alpha(theme.palette.error.main, 0.2) },
  same: {},
  skipped: {
    color: readableText(theme, 'secondary', [theme.palette.action.hover]),
    backgroundColor: theme.palette.action.hover,
  },
  sign: { display: 'inline-block', width: '1.5em', userSelect: 'none' },
  summary: { margin: theme.spacing(1, 0) },
  keys: { fontFamily: 'monospace', margin: theme.spacing(0.5, 0) },
}));

/** One side of the comparison: an environment and the cluster read for it. */
export interface ValuesSide {
  environment: string;
  cluster?: ClusterCell;
}

const SIGNS: Record<DiffRow['type'], string> = {
  added: '+',
  removed: '-',
  same: ' ',
  skipped: '⋯',
};

/** The most lines of a diff shown, and keys listed. */
const MAX_ROWS = 2000;
const MAX_KEYS = 200;

/** The line diff of a comparison, when its values may be shown. */
function lineDiff(
  comparison: ValuesComparison | undefined,
): DiffRow[] | 'tooManyLines' | undefined {
  if (
    !comparison ||
    comparison.valuesHidden ||
    comparison.from.document === undefined ||
    comparison.to.document === undefined
  ) {
    return undefined;
  }
  return (
    diffRows(
      valuesYaml(comparison.from.document),
      valuesYaml(comparison.to.document),
    ) ?? 'tooManyLines'
  );
}

/** Whether `path` is `parent` or sits under it. */
const under = (path: string, parent: string) =>
  path === parent ||
  path.startsWith(`${parent}.`) ||
  path.startsWith(`${parent}[`);

/**
 * The Helm values of a workload in two environments, as a line diff of
 * sorted YAML: `-` lines only in the first, `+` lines only in the second.
 * Credentials are redacted by the backend; a user who may not read values
 * sees only which keys differ.
 */
export function ValuesDiff(props: {
  left: ValuesSide;
  right: ValuesSide;
  entityRef: string;
}) {
  const { left, right, entityRef } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const comparison = useValuesComparison(
    left.cluster,
    right.cluster,
    entityRef,
  );
  // Once per comparison received, not on every render.
  const diff = useMemo(() => lineDiff(comparison.value), [comparison.value]);
  const missing = [left, right].filter(s => !s.cluster);
  if (missing.length) {
    return (
      <Typography variant="body2">
        {missing.length === 2
          ? t('compare.values.notDeployedInBoth', {
              first: left.environment,
              second: right.environment,
            })
          : t('compare.values.notDeployedIn', {
              environment: missing[0].environment,
            })}
      </Typography>
    );
  }
  if (comparison.loading) return <Progress />;
  if (comparison.error) {
    return (
      <Alert
        severity="error"
        action={
          <Button color="inherit" size="small" onClick={comparison.retry}>
            {t('common.retry')}
          </Button>
        }
      >
        {t('compare.values.loadFailed', {
          error: errorMessage(comparison.error),
        })}
      </Alert>
    );
  }
  if (!comparison.value) return null;
  const { changedKeys, redactedPaths, valuesHidden } = comparison.value;
  if (changedKeys.length === 0) {
    return (
      <Typography variant="body2" className={classes.summary}>
        {t('compare.values.same', {
          left: left.environment,
          right: right.environment,
        })}
      </Typography>
    );
  }
  const sides = { left: left.environment, right: right.environment };
  const keyList = (keys: string[], label: string) =>
    keys.length > 0 && (
      <>
        <ul aria-label={label} className={classes.keys}>
          {keys.slice(0, MAX_KEYS).map(k => (
            <li key={k}>{k}</li>
          ))}
        </ul>
        {keys.length > MAX_KEYS && (
          <Typography variant="body2" className={classes.summary}>
            {t('compare.values.moreKeys', { count: keys.length - MAX_KEYS })}
          </Typography>
        )}
      </>
    );
  // Keys only: the values are hidden (or missing), or differ in more lines
  // than a line diff is worked out for.
  if (diff === undefined || diff === 'tooManyLines') {
    return (
      <>
        <Typography variant="body2" className={classes.summary}>
          {/* The backend's valuesHidden says the same in English: translated here. */}
          {valuesHidden &&
            `${t('compare.values.hidden', {
              permission: gitopsPromotionValuesReadPermission.name,
              entity: entityRef,
            })} `}
          {diff === 'tooManyLines' && `${t('compare.values.tooManyLines')} `}
          {t('compare.values.keysDiffer', {
            count: changedKeys.length,
            ...sides,
          })}
        </Typography>
        {keyList(changedKeys, t('compare.values.keysLabel'))}
      </>
    );
  }
  const rows = diff;
  const shownRows = rows.slice(0, MAX_ROWS);
  // Lines, not the markers of unchanged runs.
  const rowsLeftOut = rows
    .slice(MAX_ROWS)
    .filter(r => r.type !== 'skipped').length;
  const added = rows.filter(r => r.type === 'added').length;
  const removed = rows.filter(r => r.type === 'removed').length;
  // A change at or under a redacted path shows as the same `<redacted>` line on both sides.
  const unseen = changedKeys.filter(k => redactedPaths.some(p => under(k, p)));
  const unseenSet = new Set(unseen);
  const redactedNote = unseen.length > 0 && (
    <>
      <Typography variant="body2" className={classes.summary}>
        {t('compare.values.redactedDiffer')}
      </Typography>
      {keyList(unseen, t('compare.values.redactedLabel'))}
    </>
  );
  if (added + removed === 0) return <>{redactedNote}</>;
  return (
    <>
      <Typography variant="body2" className={classes.summary}>
        {t('compare.values.summary', { count: removed, added, ...sides })}
      </Typography>
      {/* Their paths: a changed line's parent keys may sit in a skipped run. */}
      {keyList(
        changedKeys.filter(k => !unseenSet.has(k)),
        t('compare.values.keysLabel'),
      )}
      <div
        role="group"
        aria-label={t('compare.values.label', sides)}
        className={classes.diff}
        // Long lines scroll sideways: the keyboard scrolls a focused region
        // (axe's scrollable-region-focusable).
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
      >
        {shownRows.map((row, i) => (
          <div key={i} className={`${classes.row} ${classes[row.type]}`}>
            <span aria-hidden className={classes.sign}>
              {SIGNS[row.type]}
            </span>
            {row.type === 'skipped' ? (
              t('compare.values.skipped', { count: row.count })
            ) : (
              <>
                {row.type !== 'same' && (
                  <span style={visuallyHidden}>
                    {t('compare.values.onlyIn', {
                      environment:
                        row.type === 'added'
                          ? right.environment
                          : left.environment,
                    })}
                  </span>
                )}
                {row.text}
              </>
            )}
          </div>
        ))}
      </div>
      {rowsLeftOut > 0 && (
        <Typography variant="body2" className={classes.summary}>
          {t('compare.values.moreLines', { count: rowsLeftOut })}
        </Typography>
      )}
      {redactedNote}
    </>
  );
}
