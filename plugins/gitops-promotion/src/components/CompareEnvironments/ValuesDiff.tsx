import { Progress } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { alpha, makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { ClusterCell } from '@gitops-promotion/backstage-plugin-common';
import { errorMessage } from '../../util/errorMessage';
import { readableText } from '../common/readableText';
import { visuallyHidden } from '../common/visuallyHidden';
import { DiffRow, diffRows } from './diffRows';
import { useWorkloadValues } from './useWorkloadValues';

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

/**
 * The Helm values of a workload in two environments, as a line diff of
 * sorted YAML: `-` lines only in the first, `+` lines only in the second.
 */
export function ValuesDiff(props: {
  left: ValuesSide;
  right: ValuesSide;
  entityRef: string;
}) {
  const { left, right, entityRef } = props;
  const classes = useStyles();
  const before = useWorkloadValues(left.cluster, entityRef);
  const after = useWorkloadValues(right.cluster, entityRef);
  const missing = [left, right].filter(s => !s.cluster);
  if (missing.length) {
    return (
      <Typography variant="body2">
        Not deployed in {missing.map(s => s.environment).join(' and ')}: no
        values to compare.
      </Typography>
    );
  }
  if (before.loading || after.loading) return <Progress />;
  const error = before.error ?? after.error;
  if (error) {
    return (
      <Alert severity="error">
        Could not load the values: {errorMessage(error)}
      </Alert>
    );
  }
  const rows = diffRows(before.value ?? '', after.value ?? '');
  const added = rows.filter(r => r.type === 'added').length;
  const removed = rows.filter(r => r.type === 'removed').length;
  if (added + removed === 0) {
    return (
      <Typography variant="body2" className={classes.summary}>
        The Helm values are the same in {left.environment} and{' '}
        {right.environment}.
      </Typography>
    );
  }
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
    </>
  );
}
