import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useState } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  EnvironmentSummary,
  PromotionStep,
} from '@gitops-promotion/backstage-plugin-common';
import {
  GitopsPromotionT,
  gitopsPromotionTranslationRef,
} from '../../translation';
import { readableText } from '../common/readableText';
import { visuallyHidden } from '../common/visuallyHidden';

const useStyles = makeStyles(theme => ({
  marker: {
    display: 'block',
    marginBottom: theme.spacing(0.5),
    color: readableText(theme, 'secondary'),
  },
  behind: { color: readableText(theme, 'warning'), fontWeight: 500 },
  // Quieter than a difference, still readable (text.disabled is not).
  equal: { color: theme.palette.text.secondary },
}));

function markerText(
  step: PromotionStep,
  t: GitopsPromotionT,
): string | undefined {
  switch (step.relation) {
    case 'behind':
      return t('marker.behind', { count: step.behindBy ?? 1 });
    case 'ahead':
      return t('marker.ahead');
    case 'values-differ':
      return t('marker.valuesDiffer');
    case 'differs':
      return t('marker.differs');
    case 'equal':
      return '=';
    default:
      return undefined;
  }
}

/**
 * How an environment stands against the one before it, shown at the top
 * of the downstream cell: behind is a pending promotion. The versions
 * compared show on hover, and while `open` (the cell's button below has
 * the keyboard focus).
 */
export function PromotionMarker(props: {
  step?: PromotionStep;
  /** The columns' environments: the marker names them by their titles. */
  environments: EnvironmentSummary[];
  open?: boolean;
}) {
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const [hovered, setHovered] = useState(false);
  const { step, environments } = props;
  const label = step && markerText(step, t);
  if (!step || !label) {
    return null;
  }
  const titleOf = (name: string) =>
    environments.find(e => e.name === name)?.title ?? name;
  const versions = t('marker.versions', {
    from: titleOf(step.from),
    fromVersion: step.fromVersion ?? t('marker.unknownVersion'),
    to: titleOf(step.to),
    toVersion: step.toVersion ?? t('marker.unknownVersion'),
  });
  const tone =
    (step.relation === 'behind' && classes.behind) ||
    (step.relation === 'equal' && classes.equal) ||
    '';
  return (
    <Tooltip
      title={versions}
      // Above: below, it would hide the cell it speaks of.
      placement="top"
      open={hovered || !!props.open}
      onOpen={() => setHovered(true)}
      onClose={() => setHovered(false)}
    >
      <Typography variant="caption" className={`${classes.marker} ${tone}`}>
        {step.relation === 'equal' ? (
          <>
            <span aria-hidden>=</span>
            <span style={visuallyHidden}>
              {t('marker.sameAs', { environment: titleOf(step.from) })}
            </span>
          </>
        ) : (
          label
        )}
        {/* The tooltip's versions, for those who cannot see it. */}
        <span style={visuallyHidden}> ({versions})</span>
      </Typography>
    </Tooltip>
  );
}
