import { Progress } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  describeRef,
  ObjectAction,
  ObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import { useState } from 'react';
import { AsyncState } from 'react-use/esm/useAsync';
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

function reconcileTargetOf(
  workload: ObjectRef,
  rootCause?: ObjectRef,
): ObjectRef | undefined {
  if (workload.kind !== 'Release') return workload;
  return rootCause && rootCause.kind !== 'Release' ? rootCause : undefined;
}

interface Offer {
  action: ObjectAction;
  target: ObjectRef;
  label: string;
}

/**
 * Reconcile, suspend or resume a workload through the backend, which
 * checks again and audits the action. Only the actions the backend allows
 * on each object are offered; for the others it says why not. A KuboCD
 * Release has no reconcile request: reconcile goes to the Flux object at
 * the root cause (after fixing a pull secret, the OCIRepository), when
 * there is one.
 */
export function WorkloadActions(props: {
  entityRef: string;
  workload: ObjectRef;
  rootCause?: ObjectRef;
  suspended: boolean;
  decisions: AsyncState<ActionDecisions | undefined>;
  onDone: () => void;
}) {
  const { entityRef, workload, suspended, decisions, onDone } = props;
  const reconcileTarget = reconcileTargetOf(workload, props.rootCause);
  const api = useApi(gitopsPromotionApiRef);
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  // The object acted on: reconcile may go to the root cause, not the workload.
  const [pending, setPending] = useState<Offer>();
  const [state, run] = useAsyncFn(
    async (offer: Offer) => {
      setPending(offer);
      const { message } = await api.runAction(
        entityRef,
        offer.action,
        offer.target,
      );
      onDone();
      return message;
    },
    [api, entityRef, onDone],
  );
  const offers: Offer[] = [
    ...(reconcileTarget
      ? [
          {
            action: 'reconcile' as const,
            target: reconcileTarget,
            label:
              reconcileTarget === workload
                ? t('actions.reconcile')
                : t('actions.reconcileOther', {
                    kind: reconcileTarget.kind,
                    name: reconcileTarget.name,
                  }),
          },
        ]
      : []),
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
      aria-label={t('actions.label', { object: describeRef(workload) })}
    >
      {decisions.loading && !decisions.value && <Progress />}
      {allowed.length > 0 && (
        <div className={classes.buttons}>
          {allowed.map(({ offer }) => (
            <Button
              key={offer.label}
              className={classes.button}
              variant="outlined"
              size="small"
              disabled={state.loading}
              onClick={() => run(offer)}
            >
              {offer.label}
            </Button>
          ))}
        </div>
      )}
      {[...refusals].map(([reason, labels]) => (
        <Typography
          key={reason}
          variant="body2"
          color="textSecondary"
          className={classes.result}
        >
          {t('actions.notOffered', { actions: labels.join(', '), reason })}
        </Typography>
      ))}
      {decisions.error && (
        <Alert severity="warning" className={classes.result}>
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
