import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { makeStyles } from '@material-ui/core/styles';
import { CellState } from '@gitops-promotion/backstage-plugin-common';
import { ComponentType, PropsWithChildren } from 'react';
import { gitopsPromotionTranslationRef } from '../../translation';
import { readableText } from './readableText';

const ICONS: Record<CellState, ComponentType<PropsWithChildren<{}>> | null> = {
  Ready: StatusOK,
  Progressing: StatusWarning,
  Failed: StatusError,
  Unknown: StatusPending,
  Suspended: StatusAborted,
  NotDeployed: null,
};

const useStyles = makeStyles(theme => ({
  root: {
    display: 'inline-flex',
    alignItems: 'baseline',
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  notDeployed: { color: readableText(theme, 'secondary') },
}));

/**
 * A state with Backstage's status icon. The icon alone is hidden from
 * screen readers (the Status components set aria-hidden), so the label is
 * rendered beside it rather than inside.
 */
export function StateLabel(props: { state: CellState }) {
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const Icon = ICONS[props.state];
  const label = t(`state.${props.state}`);
  if (!Icon) {
    return <span className={classes.notDeployed}>{label}</span>;
  }
  return (
    <span className={classes.root}>
      <Icon />
      {label}
    </span>
  );
}
