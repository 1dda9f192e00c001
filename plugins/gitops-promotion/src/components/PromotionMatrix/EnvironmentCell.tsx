import ButtonBase from '@material-ui/core/ButtonBase';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  CellSummary as Cell,
  EnvironmentSummary,
} from '@gitops-promotion/backstage-plugin-common';
import {
  GitopsPromotionT,
  gitopsPromotionTranslationRef,
} from '../../translation';
import { formatAge } from '../../util/age';
import { Age } from '../common/Age';
import { someClusters } from '../common/clusterName';
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
    // Versions and causes come from clusters: a long one breaks, it does
    // not widen the matrix.
    overflowWrap: 'anywhere',
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
  secondary: { display: 'block', color: readableText(theme, 'secondary') },
  problem: { display: 'block', color: readableText(theme, 'warning') },
}));

/** How many of the cell's clusters need a look, named or not. */
const needing = (cell: Cell) =>
  cell.attention.length + (cell.attentionLeftOut ?? 0);

/** Everything the cell shows, in words: the button's content is visual. */
function ariaLabel(
  props: {
    workload: string;
    environment: EnvironmentSummary;
    cell: Cell;
    now: number;
    targets: string[];
    stale: string[];
    showCounts: boolean;
  },
  t: GitopsPromotionT,
) {
  const { workload, environment, cell, now, targets, stale } = props;
  const deployed = cell.state !== 'NotDeployed';
  const label = t(`state.${cell.state}`);
  const state =
    cell.since && deployed
      ? t('cell.stateFor', {
          state: label,
          age: formatAge(cell.since, now, t),
        })
      : label;
  const parts: string[] = [
    t('cell.summary', { workload, environment: environment.title, state }),
  ];
  if (cell.version) parts.push(t('cell.version', { version: cell.version }));
  if (targets.length) {
    parts.push(t('cell.rollingOut', { versions: targets }));
  }
  if (cell.retry) parts.push(t(`retry.${cell.retry}`));
  if (props.showCounts) {
    parts.push(
      t('cell.ready', {
        ready: cell.readyClusters,
        total: cell.totalClusters,
      }),
    );
    if (cell.notDeployedIn.length) {
      parts.push(
        t('cell.notIn', { clusters: someClusters(cell.notDeployedIn, t) }),
      );
    }
  }
  if (cell.mixedVersions) {
    parts.push(t('cell.mixedVersions', { versions: clusterVersions(cell, t) }));
  }
  if (cell.staleLeftOut) {
    parts.push(
      t('cell.staleCount', { count: stale.length + cell.staleLeftOut }),
    );
  } else if (stale.length) {
    parts.push(t('cell.staleFrom', { clusters: stale }));
  }
  if (cell.attentionLeftOut) {
    parts.push(t('cell.needALook', { count: needing(cell) }));
  }
  if (cell.unavailableIn.length) {
    parts.push(
      t('cell.noDataFrom', { clusters: someClusters(cell.unavailableIn, t) }),
    );
  }
  if (cell.missingRemediation) {
    parts.push(
      t('cell.noRemediation', {
        helmReleases: cell.missingRemediation,
      }),
    );
  }
  return parts.join(', ');
}

/**
 * One workload in one environment: version, state and for how long,
 * clusters ready, and the clusters whose data is stale or missing (named,
 * or counted when the page view cannot name them all, with how many need
 * a look); of many clusters not deployed to or without data, the first few
 * and a count. A button that opens the drill-down.
 */
export function EnvironmentCell(props: {
  workload: string;
  environment: EnvironmentSummary;
  cell: Cell;
  now: number;
  onOpen: () => void;
  /** Whether the button has the keyboard focus: the chip's tooltip shows. */
  keyboardFocus?: boolean;
  onKeyboardFocus?: (focused: boolean) => void;
}) {
  const { workload, environment, cell, now, onOpen, onKeyboardFocus } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const targets = cell.targetVersions;
  const stale = cell.attention.filter(c => c.staleSince).map(c => c.cluster);
  const clusterCount =
    cell.totalClusters + cell.notDeployedIn.length + cell.unavailableIn.length;
  const deployed = cell.state !== 'NotDeployed';
  const { retry } = cell;
  // An environment none of whose clusters answered has nothing to count.
  const showCounts = deployed && cell.totalClusters > 0 && clusterCount > 1;
  return (
    <ButtonBase
      className={classes.button}
      focusRipple
      onClick={onOpen}
      onFocusVisible={() => onKeyboardFocus?.(true)}
      onBlur={() => onKeyboardFocus?.(false)}
      aria-label={ariaLabel(
        { workload, environment, cell, now, targets, stale, showCounts },
        t,
      )}
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
            {t('age.for', { age: <Age time={cell.since} now={now} /> })}
          </Typography>
        )}
      </span>
      {retry && (
        <Typography
          variant="caption"
          className={retry === 'stalled' ? classes.problem : classes.secondary}
        >
          {retry === 'stalled'
            ? t('retry.cellStalled')
            : t('retry.cellRetrying')}
        </Typography>
      )}
      {showCounts && (
        <Typography variant="caption" className={classes.secondary}>
          {t('cell.ready', {
            ready: cell.readyClusters,
            total: cell.totalClusters,
          })}
          {cell.notDeployedIn.length > 0 &&
            ` · ${t('cell.notIn', {
              clusters: someClusters(cell.notDeployedIn, t),
            })}`}
        </Typography>
      )}
      {cell.mixedVersions && (
        <MixedVersionsChip cell={cell} open={props.keyboardFocus} />
      )}
      {(stale.length > 0 || !!cell.staleLeftOut) && (
        <Typography variant="caption" className={classes.problem}>
          {cell.staleLeftOut
            ? t('cell.staleCount', {
                count: stale.length + cell.staleLeftOut,
              })
            : t('cell.stale', { clusters: stale })}
        </Typography>
      )}
      {!!cell.attentionLeftOut && (
        <Typography variant="caption" className={classes.secondary}>
          {t('cell.needALook', { count: needing(cell) })}
        </Typography>
      )}
      {cell.unavailableIn.length > 0 && (
        <Typography variant="caption" className={classes.problem}>
          {t('cell.noData', {
            clusters: someClusters(cell.unavailableIn, t),
          })}
        </Typography>
      )}
      {cell.missingRemediation && (
        <Typography variant="caption" className={classes.problem}>
          {t('remediation.cell')}
        </Typography>
      )}
    </ButtonBase>
  );
}
