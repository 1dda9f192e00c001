import { Progress } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  describeRef,
  ObjectAction,
  ObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import { useId, useState } from 'react';
import { AsyncStateRetry } from 'react-use/esm/useAsyncRetry';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { gitopsPromotionApiRef } from '../../api';
import { ActionDecisions } from '../../hooks/useAllowedActions';
import { gitopsPromotionTranslationRef } from '../../translation';
import { errorMessage } from '../../util/errorMessage';
import { refKey } from '../../util/refKey';

const useStyles = makeStyles(theme => ({
  buttons: { display: 'flex', gap: theme.spacing(1) },
  // Labels carry object names, which must not be upper-cased.
  button: { textTransform: 'none' },
  result: { marginTop: theme.spacing(1) },
}));

/**
 * What reconcile is offered on: the workload (a KuboCD Release has no
 * reconcile request), and the root cause when it is another Flux object:
 * after fixing a source's secret, its fetch is what to ask for again.
 */
function reconcileTargetsOf(
  workload: ObjectRef,
  rootCause?: ObjectRef,
): ObjectRef[] {
  return [
    ...(workload.kind !== 'Release' ? [workload] : []),
    ...(rootCause &&
    rootCause.kind !== 'Release' &&
    refKey(rootCause) !== refKey(workload)
      ? [rootCause]
      : []),
  ];
}

interface Offer {
  action: ObjectAction;
  target: ObjectRef;
  label: string;
}

/**
 * Reconcile, suspend or resume a workload through the backend, which
 * checks again and audits the action. Only the actions the backend allows
 * on each object are offered; for the others it says why not. Reconcile
 * is offered on the workload and on a Flux object at the root cause (after
 * fixing a pull secret, the OCIRepository); a KuboCD Release has no
 * reconcile request of its own. Suspend asks for confirmation first: it
 * stops Flux until someone resumes.
 */
export function WorkloadActions(props: {
  entityRef: string;
  workload: ObjectRef;
  rootCause?: ObjectRef;
  suspended: boolean;
  decisions: AsyncStateRetry<ActionDecisions | undefined>;
  /** With what to say of it, should this component be gone by the refresh it brings. */
  onDone: (done: string) => void;
}) {
  const { entityRef, workload, suspended, decisions, onDone } = props;
  const reconcileTargets = reconcileTargetsOf(workload, props.rootCause);
  const api = useApi(gitopsPromotionApiRef);
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  // The object acted on: reconcile may go to the root cause, not the workload.
  const [pending, setPending] = useState<Offer>();
  const [state, run] = useAsyncFn(
    async (offer: Offer) => {
      setPending(offer);
      await api.runAction(entityRef, offer.action, offer.target);
      // Said in the app's language, not the backend's English message.
      const done = t(`actions.done.${offer.action}`, {
        object: describeRef(offer.target),
        cluster: offer.target.cluster,
      });
      onDone(done);
      return done;
    },
    [api, entityRef, onDone, t],
  );
  // The suspend waiting for the user's confirmation.
  const [confirming, setConfirming] = useState<Offer>();
  const confirmTitleId = useId();
  const offers: Offer[] = [
    ...reconcileTargets.map(target => ({
      action: 'reconcile' as const,
      target,
      label:
        target === workload
          ? t('actions.reconcile')
          : t('actions.reconcileOther', {
              kind: target.kind,
              name: target.name,
            }),
    })),
    suspended
      ? { action: 'resume', target: workload, label: t('actions.resume') }
      : { action: 'suspend', target: workload, label: t('actions.suspend') },
  ];
  const decided = offers.map(offer => ({
    offer,
    decision: decisions.value
      ?.get(refKey(offer.target))
      ?.find(d => d.action === offer.action),
  }));
  const allowed = decided.filter(d => d.decision?.allowed);
  // One line per reason: an entity-wide refusal is said once.
  const refusals = new Map<string, string[]>();
  for (const { offer, decision } of decided) {
    if (decision && !decision.allowed && decision.reason) {
      refusals.set(decision.reason, [
        ...(refusals.get(decision.reason) ?? []),
        offer.label,
      ]);
    }
  }
  return (
    <div
      role="group"
      // A drawer holds one group per cluster: the name tells them apart.
      aria-label={t('actions.label', {
        object: describeRef(workload),
        cluster: workload.cluster,
      })}
    >
      {decisions.loading && !decisions.value && <Progress />}
      {allowed.length > 0 && (
        <div className={classes.buttons}>
          {allowed.map(({ offer }) => (
            <Button
              // Suspend and Resume are one button whose label turns: the
              // focus stays on it (the confirmation gives it back) once a
              // suspend lands.
              key={`${
                offer.action === 'reconcile' ? 'reconcile' : 'toggle'
              } ${refKey(offer.target)}`}
              className={classes.button}
              variant="outlined"
              size="small"
              // Not `disabled`: a disabled button drops the focus.
              aria-disabled={state.loading}
              onClick={() => {
                if (state.loading) return;
                if (offer.action === 'suspend') setConfirming(offer);
                else run(offer);
              }}
            >
              {offer.label}
            </Button>
          ))}
        </div>
      )}
      <Dialog
        open={!!confirming}
        onClose={() => setConfirming(undefined)}
        aria-labelledby={confirmTitleId}
      >
        {confirming && (
          <>
            <DialogTitle id={confirmTitleId}>
              {t('actions.confirmSuspend.title', {
                object: describeRef(confirming.target),
                cluster: confirming.target.cluster,
              })}
            </DialogTitle>
            <DialogContent>
              <DialogContentText>
                {t('actions.confirmSuspend.body')}
              </DialogContentText>
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setConfirming(undefined)}>
                {t('actions.confirmSuspend.cancel')}
              </Button>
              <Button
                color="primary"
                onClick={() => {
                  setConfirming(undefined);
                  run(confirming);
                }}
              >
                {confirming.label}
              </Button>
            </DialogActions>
          </>
        )}
      </Dialog>
      {[...refusals].map(([reason, labels]) => (
        <Typography
          key={reason}
          variant="body2"
          color="textSecondary"
          className={classes.result}
        >
          {t('actions.notOffered', { actions: labels, reason })}
        </Typography>
      ))}
      {decisions.error && (
        <Alert
          severity="warning"
          className={classes.result}
          action={
            <Button color="inherit" size="small" onClick={decisions.retry}>
              {t('common.retry')}
            </Button>
          }
        >
          {t('actions.decisionsFailed', {
            error: errorMessage(decisions.error),
          })}
        </Alert>
      )}
      {state.error && pending && (
        <Alert severity="error" className={classes.result}>
          {t(`actions.failed.${pending.action}`, {
            object: describeRef(pending.target),
            cluster: pending.target.cluster,
            error: errorMessage(state.error),
          })}
        </Alert>
      )}
      {!state.error && state.value && (
        <Alert severity="success" className={classes.result}>
          {state.value}
        </Alert>
      )}
    </div>
  );
}
