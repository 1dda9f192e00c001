import Button from '@material-ui/core/Button';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  describeRef,
  ObjectAction,
  ObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import { useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { gitopsPromotionApiRef } from '../../api';
import { gitopsPromotionTranslationRef } from '../../translation';
import { errorMessage } from '../../util/errorMessage';

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

/**
 * Reconcile, suspend or resume a workload through the backend (which checks
 * the permission again and audits the action). Shown only to users allowed
 * to act; the outcome is shown in place, failures included. A KuboCD Release
 * has no reconcile request: reconcile goes to the Flux object at the root
 * cause (after fixing a pull secret, the OCIRepository), when there is one.
 */
export function WorkloadActions(props: {
  entityRef: string;
  workload: ObjectRef;
  rootCause?: ObjectRef;
  suspended: boolean;
  onDone: () => void;
}) {
  const { entityRef, workload, suspended, onDone } = props;
  const reconcileTarget = reconcileTargetOf(workload, props.rootCause);
  const api = useApi(gitopsPromotionApiRef);
  const classes = useStyles();
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  // The object acted on: reconcile may go to the root cause, not the workload.
  const [pending, setPending] = useState<{
    action: ObjectAction;
    target: ObjectRef;
  }>();
  const [state, run] = useAsyncFn(
    async (next: ObjectAction, target: ObjectRef) => {
      setPending({ action: next, target });
      const { message } = await api.runAction(entityRef, next, target);
      onDone();
      return message;
    },
    [api, entityRef, onDone],
  );
  const button = (next: ObjectAction, label: string, target = workload) => (
    <Button
      className={classes.button}
      variant="outlined"
      size="small"
      disabled={state.loading}
      onClick={() => run(next, target)}
    >
      {label}
    </Button>
  );
  return (
    <div
      role="group"
      aria-label={t('actions.label', { object: describeRef(workload) })}
    >
      <div className={classes.buttons}>
        {reconcileTarget &&
          button(
            'reconcile',
            reconcileTarget === workload
              ? t('actions.reconcile')
              : t('actions.reconcileOther', {
                  kind: reconcileTarget.kind,
                  name: reconcileTarget.name,
                }),
            reconcileTarget,
          )}
        {suspended
          ? button('resume', t('actions.resume'))
          : button('suspend', t('actions.suspend'))}
      </div>
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
