import { Progress } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { alpha, makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { ClusterCell } from '@gitops-promotion/backstage-plugin-common';
import { useValuesComparison } from '../../hooks/useValuesComparison';
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
  const comparison = useValuesComparison(
    left.cluster,
    right.cluster,
    entityRef,
  );
  const missing = [left, right].filter(s => !s.cluster);
  if (missing.length) {
    return (
      <Typography variant="body2">
        Not deployed in {missing.map(s => s.environment).join(' and ')}: no
        values to compare.
      </Typography>
    );
  }
  if (comparison.loading) return <Progress />;
  if (comparison.error) {
    return (
      <Alert severity="error">
        Could not load the values: {errorMessage(comparison.error)}
      </Alert>
    );
  }
  if (!comparison.value) return null;
  const { from, to, changedKeys, redactedPaths, valuesHidden } =
    comparison.value;
  if (changedKeys.length === 0) {
    return (
      <Typography variant="body2" className={classes.summary}>
        The Helm values are the same in {left.environment} and{' '}
        {right.environment}.
      </Typography>
    );
  }
  const keyList = (keys: string[], label: string) => (
    <ul aria-label={label} className={classes.keys}>
      {keys.map(k => (
        <li key={k}>{k}</li>
      ))}
    </ul>
  );
  if (
    valuesHidden ||
    from.document === undefined ||
    to.document === undefined
  ) {
    return (
      <>
        <Typography variant="body2" className={classes.summary}>
          {valuesHidden} {changedKeys.length}{' '}
          {changedKeys.length === 1 ? 'key differs' : 'keys differ'} between{' '}
          {left.environment} and {right.environment}:
        </Typography>
        {keyList(changedKeys, 'Keys that differ')}
      </>
    );
  }
  const rows = diffRows(valuesYaml(from.document), valuesYaml(to.document));
  const added = rows.filter(r => r.type === 'added').length;
  const removed = rows.filter(r => r.type === 'removed').length;
  // A change at or under a redacted path shows as the same `<redacted>` line on both sides.
  const unseen = changedKeys.filter(k => redactedPaths.some(p => under(k, p)));
  const redactedNote = unseen.length > 0 && (
    <>
      <Typography variant="body2" className={classes.summary}>
        Redacted values (credentials) that differ:
      </Typography>
      {keyList(unseen, 'Redacted values that differ')}
    </>
  );
  if (added + removed === 0) return <>{redactedNote}</>;
  const only = (env: string) => `only in ${env}: `;
  return (
    <>
      <Typography variant="body2" className={classes.summary}>
        {removed} {removed === 1 ? 'line' : 'lines'} only in {left.environment}{' '}
        (-), {added} only in {right.environment} (+).
      </Typography>
      <div
        role="group"
        aria-label={`Helm values of ${left.environment} and ${right.environment}`}
        className={classes.diff}
      >
        {rows.map((row, i) => (
          <div key={i} className={`${classes.row} ${classes[row.type]}`}>
            <span aria-hidden className={classes.sign}>
              {SIGNS[row.type]}
            </span>
            {row.type === 'skipped' ? (
              `${row.count} unchanged lines`
            ) : (
              <>
                {row.type !== 'same' && (
                  <span style={visuallyHidden}>
                    {only(
                      row.type === 'added'
                        ? right.environment
                        : left.environment,
                    )}
                  </span>
                )}
                {row.text}
              </>
            )}
          </div>
        ))}
      </div>
      {redactedNote}
    </>
  );
}
