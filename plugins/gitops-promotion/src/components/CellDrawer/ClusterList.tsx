import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { Progress } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  CellDetail,
  ClusterInBrief,
  needsALook,
  ViewScope,
  WorkloadRowSummary,
} from '@gitops-promotion/backstage-plugin-common';
import { ReactNode, useEffect, useId, useRef, useState } from 'react';
import { AsyncStateRetry } from 'react-use/esm/useAsyncRetry';
import { ActionDecisions } from '../../hooks/useAllowedActions';
import { useCellDetail } from '../../hooks/useCellDetail';
import { gitopsPromotionTranslationRef } from '../../translation';
import { errorMessage } from '../../util/errorMessage';
import { Age } from '../common/Age';
import { clusterKey, clusterName } from '../common/clusterName';
import { StateLabel } from '../common/StateLabel';
import { ClusterDetails } from './ClusterDetails';

const useStyles = makeStyles(theme => ({
  group: {
    paddingTop: theme.spacing(2),
    marginTop: theme.spacing(2),
    borderTop: `1px solid ${theme.palette.divider}`,
  },
  list: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    listStyle: 'none',
    padding: 0,
    margin: theme.spacing(1, 0, 0),
  },
  rows: { listStyle: 'none', padding: 0, margin: theme.spacing(1, 0, 0) },
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  name: { fontFamily: 'monospace', textTransform: 'none' },
  opened: { flexBasis: '100%' },
}));

/** The cell a drawer shows: what asking for one of its clusters takes. */
export interface CellWhere {
  entityRef: string;
  scope: ViewScope;
  environment: string;
  row: WorkloadRowSummary;
}

interface Shared {
  entityRef: string;
  now: number;
  actions: AsyncStateRetry<ActionDecisions | undefined>;
  onChanged: () => void;
}

/**
 * A cluster given in brief, asked for in full once opened. A refresh that
 * fails after a first answer says so above the chain it keeps showing.
 */
function OpenedCluster(
  props: Shared & {
    where: CellWhere;
    brief: ClusterInBrief;
    name: string;
    id: string;
    onActed: (done: string) => void;
  },
) {
  const { where, brief, name, id } = props;
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const detail = useCellDetail(
    where.entityRef,
    where.scope,
    where.environment,
    where.row.id,
    brief.cluster,
  );
  const cluster = detail.value?.cell.clusters.find(
    c => clusterKey(c) === clusterKey(brief),
  );
  let shown: ReactNode;
  if (cluster) {
    const { entityRef, now, actions } = props;
    shown = (
      <>
        {detail.error && (
          <Alert severity="warning">
            {t('drawer.clusterRefreshFailed', {
              cluster: name,
              error: errorMessage(detail.error),
            })}
          </Alert>
        )}
        <ClusterDetails
          cluster={cluster}
          entityRef={entityRef}
          now={now}
          actions={actions}
          onChanged={done => {
            props.onActed(done);
            detail.refresh();
          }}
        />
      </>
    );
  } else if (detail.error) {
    shown = (
      <Alert severity="error">
        {t('drawer.loadFailed', { error: errorMessage(detail.error) })}
      </Alert>
    );
  } else if (detail.value) {
    shown = (
      <Typography variant="body2">
        {t('drawer.clusterGone', { cluster: name })}
      </Typography>
    );
  } else {
    shown = <Progress />;
  }
  return <div id={id}>{shown}</div>;
}

/** A titled list of clusters given in brief. */
function BriefSection(props: {
  title: string;
  hint: string;
  children: ReactNode;
}) {
  const classes = useStyles();
  const id = useId();
  return (
    <section aria-labelledby={id} className={classes.group}>
      <Typography variant="h6" component="h3" id={id}>
        {props.title}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {props.hint}
      </Typography>
      {props.children}
    </section>
  );
}

/**
 * A cell's clusters, usable at fleet scale: those the answer gives in
 * full (the worst few that need a look, or all of a few) with their
 * chains; the other ones that need a look listed with their state and
 * cause; the Ready ones as a compact list of buttons. A cluster in brief
 * is asked for in full, and its chain shown, when its button is pressed.
 */
export function ClusterList(
  props: Shared & { detail: CellDetail; where: CellWhere },
) {
  const { detail, where, ...shared } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const [opened, setOpened] = useState<ReadonlySet<string>>(new Set());
  // The cluster last acted on, and what the action said: the refresh it
  // brings may move that cluster between the lists (Ready to Suspended),
  // taking the focused button and the message with it.
  const [acted, setActed] = useState<{
    key: string;
    done: string;
    before: CellDetail;
  }>();
  const [movedNotice, setMovedNotice] = useState<string>();
  const listRef = useRef<HTMLDivElement>(null);
  // The cell as it is when an action ends, not when its button was
  // pressed: one that changed meanwhile is not the refresh it brings.
  const latest = useRef(detail);
  latest.current = detail;
  useEffect(() => {
    const list = listRef.current;
    // Until the refresh the action brings has come, nothing moved.
    if (!acted || !list || acted.before === detail) return;
    setActed(undefined);
    const active = document.activeElement;
    // Still inside the list (or moved on by the user): nothing was lost.
    if (active && !active.contains(list)) return;
    const moved = [
      ...list.querySelectorAll<HTMLElement>('[data-cluster]'),
    ].find(e => e.dataset.cluster === acted.key);
    moved?.focus();
    setMovedNotice(acted.done);
  }, [acted, detail]);
  const actedIn =
    (c: { cluster: string; namespace: string }) => (done: string) => {
      setMovedNotice(undefined);
      setActed({ key: clusterKey(c), done, before: latest.current });
      shared.onChanged();
    };
  const idPrefix = useId();
  const { inBrief } = detail;
  const regionId = (c: ClusterInBrief) => `${idPrefix}-${inBrief.indexOf(c)}`;
  const needing = inBrief.filter(needsALook);
  const ready = inBrief.filter(c => !needsALook(c));
  const toggle = (c: ClusterInBrief) =>
    setOpened(o => {
      const next = new Set(o);
      if (!next.delete(clusterKey(c))) next.add(clusterKey(c));
      return next;
    });
  const nameOf = (c: ClusterInBrief) => clusterName(c, inBrief, t);
  const toggleButton = (c: ClusterInBrief, label: string) => (
    <Button
      size="small"
      variant={opened.has(clusterKey(c)) ? 'contained' : 'outlined'}
      className={classes.name}
      aria-expanded={opened.has(clusterKey(c))}
      aria-controls={opened.has(clusterKey(c)) ? regionId(c) : undefined}
      data-cluster={clusterKey(c)}
      onClick={() => toggle(c)}
    >
      {label}
    </Button>
  );
  const openedCluster = (c: ClusterInBrief) =>
    opened.has(clusterKey(c)) && (
      <OpenedCluster
        key={clusterKey(c)}
        {...shared}
        where={where}
        brief={c}
        name={nameOf(c)}
        id={regionId(c)}
        onActed={actedIn(c)}
      />
    );
  return (
    <div ref={listRef}>
      {movedNotice && (
        <Alert severity="success" role="status">
          {movedNotice}
        </Alert>
      )}
      {detail.cell.clusters.map(c => (
        <ClusterDetails
          key={clusterKey(c)}
          {...shared}
          cluster={c}
          onChanged={actedIn(c)}
        />
      ))}
      {needing.length > 0 && (
        <BriefSection
          title={t('drawer.needALook', { count: needing.length })}
          hint={t('drawer.needALookHint')}
        >
          <ul className={classes.rows}>
            {needing.map(c => (
              <li key={clusterKey(c)}>
                <div className={classes.row}>
                  {toggleButton(c, nameOf(c))}
                  <StateLabel state={c.state} />
                  {c.staleSince && (
                    <Typography variant="body2" color="textSecondary">
                      {t('drawer.notAnsweredFor', {
                        age: <Age time={c.staleSince} now={shared.now} />,
                      })}
                    </Typography>
                  )}
                  {c.cause && (
                    <Typography variant="body2">{c.cause}</Typography>
                  )}
                </div>
                {openedCluster(c)}
              </li>
            ))}
          </ul>
        </BriefSection>
      )}
      {ready.length > 0 && (
        <BriefSection
          title={t('drawer.readyClusters', { count: ready.length })}
          hint={t('drawer.readyClustersHint')}
        >
          <ul className={classes.list}>
            {ready.map(c => (
              <li
                key={clusterKey(c)}
                // Opened, on a line of its own: the chain under its button,
                // not after the fifty others.
                className={opened.has(clusterKey(c)) ? classes.opened : ''}
              >
                {toggleButton(
                  c,
                  t('drawer.readyCluster', {
                    cluster: nameOf(c),
                    version: c.version ?? t('cluster.noVersionYet'),
                  }),
                )}
                {openedCluster(c)}
              </li>
            ))}
          </ul>
        </BriefSection>
      )}
    </div>
  );
}
