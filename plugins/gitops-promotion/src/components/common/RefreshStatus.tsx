import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import RefreshIcon from '@material-ui/icons/Refresh';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useNow } from '../../hooks/useNow';
import { gitopsPromotionTranslationRef } from '../../translation';
import { Age } from '../common/Age';

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'center', justifyContent: 'flex-end' },
});

/**
 * When the backend last answered, ticking every second (not a live region: it would
 * be announced every second), and a button to ask now. It sits on the app's
 * page background, which the MUI palette does not describe (Backstage UI
 * paints it), so it keeps the body text colour rather than a secondary grey.
 */
export function RefreshStatus(props: {
  checkedAt: number;
  onRefresh: () => void;
}) {
  const classes = useStyles();
  const now = useNow(1000);
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const checked = new Date(props.checkedAt).toISOString();
  return (
    <div className={classes.root}>
      <Typography variant="caption">
        {t('tab.updated', { age: <Age time={checked} now={now} /> })}
      </Typography>
      <IconButton
        size="small"
        aria-label={t('tab.refresh')}
        onClick={props.onRefresh}
      >
        <RefreshIcon fontSize="small" />
      </IconButton>
    </div>
  );
}
