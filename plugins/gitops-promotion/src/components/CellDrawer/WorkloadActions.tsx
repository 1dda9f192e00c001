import Button from '@material-ui/core/Button';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  describeRef,
  ObjectAction,
  ObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import { useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { gitopsPromotionApiRef } from '../../api';
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
    <div role="group" aria-label={`Actions on ${describeRef(workload)}`}>
      <div className={classes.buttons}>
        {reconcileTarget &&
          button(
            'reconcile',
            reconcileTarget === workload
              ? 'Reconcile'
              : `Reconcile ${reconcileTarget.kind} ${reconcileTarget.name}`,
            reconcileTarget,
          )}
        {suspended ? button('resume', 'Resume') : button('suspend', 'Suspend')}
      </div>
      {state.error && pending && (
        <Alert severity="error" className={classes.result}>
          Could not {pending.action} {describeRef(pending.target)} in{' '}
          {pending.target.cluster}: {errorMessage(state.error)}
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
