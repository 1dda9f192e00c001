import ButtonBase from '@material-ui/core/ButtonBase';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  EnvironmentCell as Cell,
  EnvironmentSummary,
} from '@gitops-promotion/backstage-plugin-common';
import { formatAge } from '../../util/age';
import { RETRY_LABELS, STATE_LABELS } from '../../util/labels';
import { Age } from '../common/Age';
import { readableText } from '../common/readableText';
import { StateLabel } from '../common/StateLabel';
import { clusterVersions, MixedVersionsChip } from './MixedVersionsChip';

const useStyles = makeStyles(theme => ({
  button: {
    display: 'block',
    width: '100%',
    textAlign: 'left',
    padding: theme.spacing(1),
    borderRadius: theme.shape.borderRadius,
    border: `1px solid ${theme.palette.divider}`,
    '&:hover': { backgroundColor: theme.palette.action.hover },
    '&:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 1,
    },
  },
  line: { display: 'block' },
  version: {
    display: 'block',
    fontFamily: 'monospace',
    fontSize: theme.typography.body1.fontSize,
  },
  target: { color: readableText(theme, 'info') },
  secondary: { display: 'block', color: theme.palette.text.secondary },
  problem: { display: 'block', color: readableText(theme, 'warning') },
}));

/** Versions being rolled out in some cluster of the environment. */
function targetVersions(cell: Cell): string[] {
  return [
    ...new Set(
      cell.clusters.map(c => c.targetVersion).filter((v): v is string => !!v),
    ),
  ];
}

/**
 * Whether Flux still retries the environment's failures: given up
 * (Stalled) wins, as it needs someone to act.
 */
function retryOf(cell: Cell) {
  const states = new Set(cell.clusters.map(c => c.retry));
  if (states.has('stalled')) return 'stalled';
  return states.has('retrying') ? 'retrying' : undefined;
}

/** Everything the cell shows, in words: the button's content is visual. */
function ariaLabel(props: {
  workload: string;
  environment: EnvironmentSummary;
  cell: Cell;
  now: number;
  targets: string[];
  stale: string[];
  showCounts: boolean;
}) {
  const { workload, environment, cell, now, targets, stale } = props;
  const deployed = cell.state !== 'NotDeployed';
  let state = STATE_LABELS[cell.state];
  if (cell.since && deployed) state += ` for ${formatAge(cell.since, now)}`;
  const parts = [`${workload} in ${environment.title}: ${state}`];
  if (cell.version) parts.push(`version ${cell.version}`);
  if (targets.length) parts.push(`rolling out ${targets.join(', ')}`);
  const retry = retryOf(cell);
  if (retry) parts.push(RETRY_LABELS[retry]);
  if (props.showCounts) {
    parts.push(`${cell.readyClusters}/${cell.totalClusters} ready`);
    if (cell.notDeployedIn.length) {
      parts.push(`not in ${cell.notDeployedIn.join(', ')}`);
    }
  }
  if (cell.mixedVersions) {
    parts.push(`mixed versions (${clusterVersions(cell)})`);
  }
  if (stale.length) parts.push(`stale data from ${stale.join(', ')}`);
  if (cell.unavailableIn.length) {
    parts.push(`no data from ${cell.unavailableIn.join(', ')}`);
  }
  return parts.join(', ');
}

/**
 * One workload in one environment: version, state and for how long,
 * clusters ready, and the clusters whose data is stale or missing. A button
 * that opens the drill-down.
 */
export function EnvironmentCell(props: {
  workload: string;
  environment: EnvironmentSummary;
  cell: Cell;
  now: number;
  onOpen: () => void;
}) {
  const { workload, environment, cell, now, onOpen } = props;
  const classes = useStyles();
  const targets = targetVersions(cell);
  const stale = cell.clusters.filter(c => c.staleSince).map(c => c.cluster);
  const clusterCount =
    cell.totalClusters + cell.notDeployedIn.length + cell.unavailableIn.length;
  const deployed = cell.state !== 'NotDeployed';
  const retry = retryOf(cell);
  // An environment none of whose clusters answered has nothing to count.
  const showCounts = deployed && cell.totalClusters > 0 && clusterCount > 1;
  return (
    <ButtonBase
      className={classes.button}
      focusRipple
      onClick={onOpen}
      aria-label={ariaLabel({
        workload,
        environment,
        cell,
        now,
        targets,
        stale,
        showCounts,
      })}
    >
      {deployed && (
        <span className={classes.version}>
          {cell.version ?? '—'}
          {targets.length > 0 && (
            <span className={classes.target}> → {targets.join(', ')}</span>
          )}
        </span>
      )}
      <span className={classes.line}>
        <StateLabel state={cell.state} />
        {cell.since && deployed && (
          <Typography variant="caption" color="textSecondary">
            {' '}
            for <Age time={cell.since} now={now} />
          </Typography>
        )}
      </span>
      {retry && (
        <Typography
          variant="caption"
          className={retry === 'stalled' ? classes.problem : classes.secondary}
        >
          {retry === 'stalled' ? 'Flux gave up (Stalled)' : 'Flux retrying'}
        </Typography>
      )}
      {showCounts && (
        <Typography variant="caption" className={classes.secondary}>
          {cell.readyClusters}/{cell.totalClusters} ready
          {cell.notDeployedIn.length > 0 &&
            ` · not in ${cell.notDeployedIn.join(', ')}`}
        </Typography>
      )}
      {cell.mixedVersions && <MixedVersionsChip cell={cell} />}
      {stale.length > 0 && (
        <Typography variant="caption" className={classes.problem}>
          stale data: {stale.join(', ')}
        </Typography>
      )}
      {cell.unavailableIn.length > 0 && (
        <Typography variant="caption" className={classes.problem}>
          no data: {cell.unavailableIn.join(', ')}
        </Typography>
      )}
    </ButtonBase>
  );
}
