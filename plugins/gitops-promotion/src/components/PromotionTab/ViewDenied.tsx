import { WarningPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import { errorMessage } from '../../util/errorMessage';

/** A 403 from the backend: the policy does not let the user view the entity's status. */
export function isViewDenied(error: Error): boolean {
  return error instanceof ResponseError && error.statusCode === 403;
}

/**
 * Says why the tab shows nothing, and who can change that: a warning, not
 * an error, as the Kubernetes plugin's permission gate does.
 */
export function ViewDenied(props: { entityRef: string; error?: Error }) {
  return (
    <WarningPanel
      title="You are not allowed to see where this entity runs"
      message={`Your permission policy does not grant gitops-promotion.view on ${props.entityRef}. Ask the entity's owners or your Backstage administrators for access.`}
      defaultExpanded
    >
      {props.error && errorMessage(props.error)}
    </WarningPanel>
  );
}
