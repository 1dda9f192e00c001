import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { PromotionStep } from '@gitops-promotion/backstage-plugin-common';
import { readableText } from '../common/readableText';
import { visuallyHidden } from '../common/visuallyHidden';

const useStyles = makeStyles(theme => ({
  marker: {
    display: 'block',
    marginBottom: theme.spacing(0.5),
    color: theme.palette.text.secondary,
  },
  behind: { color: readableText(theme, 'warning'), fontWeight: 500 },
  equal: { color: theme.palette.text.disabled },
}));

function markerText(step: PromotionStep): string | undefined {
  switch (step.relation) {
    case 'behind':
      return `pending promotion · behind by ${step.behindBy ?? 1}`;
    case 'ahead':
      return 'ahead';
    case 'values-differ':
      return 'same version, different values';
    case 'differs':
      return 'different revision';
    case 'equal':
      return '=';
    default:
      return undefined;
  }
}

/**
 * How an environment stands against the one before it, shown at the top
 * of the downstream cell: behind is a pending promotion.
 */
export function PromotionMarker(props: { step?: PromotionStep }) {
  const classes = useStyles();
  const { step } = props;
  const label = step && markerText(step);
  if (!step || !label) {
    return null;
  }
  const versions = `${step.from} runs ${step.fromVersion ?? '?'}, ${
    step.to
  } runs ${step.toVersion ?? '?'}`;
  const tone =
    (step.relation === 'behind' && classes.behind) ||
    (step.relation === 'equal' && classes.equal) ||
    '';
  return (
    <Tooltip title={versions}>
      <Typography variant="caption" className={`${classes.marker} ${tone}`}>
        {step.relation === 'equal' ? (
          <>
            <span aria-hidden>=</span>
            <span style={visuallyHidden}>same as {step.from}</span>
          </>
        ) : (
          label
        )}
      </Typography>
    </Tooltip>
  );
}
