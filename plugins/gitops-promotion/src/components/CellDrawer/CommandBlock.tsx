import { CopyTextButton } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { gitopsPromotionTranslationRef } from '../../translation';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    margin: theme.spacing(0.5, 0),
    padding: theme.spacing(0.5, 1),
    borderRadius: theme.shape.borderRadius,
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
  },
  code: {
    flex: 1,
    fontFamily: 'monospace',
    fontSize: '0.85em',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    color: theme.palette.text.primary,
  },
}));

/** A shell command with a button that copies it. */
export function CommandBlock(props: { command: string }) {
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  return (
    <div className={classes.root}>
      <code className={classes.code}>{props.command}</code>
      <CopyTextButton
        text={props.command}
        aria-label={t('rootCause.copyCommand')}
      />
    </div>
  );
}
