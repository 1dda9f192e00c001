import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  ChainLink,
  describeRef,
  LINK_REASONS,
} from '@gitops-promotion/backstage-plugin-common';
import { Fragment, useId } from 'react';
import { useLinkDetails } from '../../hooks/useLinkDetails';
import { gitopsPromotionTranslationRef } from '../../translation';
import { Age } from '../common/Age';
import { readableText } from '../common/readableText';
import { StateLabel } from '../common/StateLabel';
import { ConditionsTable } from './ConditionsTable';
import { LinkEvents } from './LinkEvents';
import { LinkHistory } from './LinkHistory';
import { RemediationFacts } from './RemediationFacts';

const useStyles = makeStyles(theme => ({
  root: { padding: theme.spacing(1.5), marginBottom: theme.spacing(1) },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    gap: theme.spacing(1),
  },
  missing: { color: readableText(theme, 'warning') },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    margin: theme.spacing(1, 0),
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0, wordBreak: 'break-all' },
  },
}));

/** One object of a workload's chain: its state, why, and what it points at. */
export function ChainLinkCard(props: {
  link: ChainLink;
  entityRef: string;
  now: number;
  /** Loads the events at once: the link is the root cause. */
  isRootCause: boolean;
}) {
  const { link, entityRef, now, isRootCause } = props;
  const { classification: c } = link;
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const name = describeRef(link.ref);
  // What the view says of the object: when it changes, details are read again.
  const version = JSON.stringify([c, link.conditions, link.facts]);
  const details = useLinkDetails(link.ref, entityRef, version);
  const headingId = useId();
  return (
    <Paper variant="outlined" className={classes.root}>
      <div className={classes.header}>
        {link.found && <StateLabel state={c.state} />}
        <Typography variant="subtitle2" component="h5" id={headingId}>
          {name}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {t(`link.role.${link.role}`)}
          {isRootCause && ` · ${t('link.rootCause')}`}
          {link.found && c.since && (
            <>
              {' · '}
              {t('link.since', { age: <Age time={c.since} now={now} /> })}
            </>
          )}
        </Typography>
      </div>
      {!link.found && (
        <Typography variant="body2" className={classes.missing}>
          {c.reason === LINK_REASONS.notOwned
            ? t('link.notOwned', { cluster: link.ref.cluster })
            : t('link.notFound', { cluster: link.ref.cluster })}
        </Typography>
      )}
      {link.found && c.reason === LINK_REASONS.outOfBounds && (
        <Typography variant="body2" color="textSecondary">
          {t('link.outOfBounds')}
        </Typography>
      )}
      {link.found && c.reason !== LINK_REASONS.outOfBounds && (
        <>
          {(c.reason || c.message) && (
            <Typography variant="body2">
              {c.reason && <strong>{c.reason}</strong>}
              {c.reason && c.message && ': '}
              {c.message}
            </Typography>
          )}
          {(link.facts.length > 0 || link.remediation) && (
            <dl className={classes.facts}>
              {link.facts.map(f => (
                <Fragment key={f.label}>
                  {/* A backend older than the key names it in English. */}
                  <dt>{f.key ? t(`fact.${f.key}`) : f.label}</dt>
                  <dd>{f.value}</dd>
                </Fragment>
              ))}
              {link.remediation && (
                <RemediationFacts remediation={link.remediation} />
              )}
            </dl>
          )}
          {link.conditions.length > 0 && (
            <ConditionsTable
              name={name}
              conditions={link.conditions}
              now={now}
            />
          )}
          <LinkEvents
            objectRef={link.ref}
            details={details}
            now={now}
            initiallyOpen={isRootCause}
            describedBy={headingId}
          />
          {(link.ref.kind === 'Kustomization' ||
            link.ref.kind === 'HelmRelease') && (
            <LinkHistory
              objectRef={link.ref}
              details={details}
              now={now}
              describedBy={headingId}
            />
          )}
        </>
      )}
    </Paper>
  );
}
