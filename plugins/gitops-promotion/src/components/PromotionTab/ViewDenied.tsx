import { WarningPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { gitopsPromotionTranslationRef } from '../../translation';
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
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  return (
    <WarningPanel
      title={t('viewDenied.title')}
      message={t('viewDenied.message', { entityRef: props.entityRef })}
      defaultExpanded
    >
      {props.error && errorMessage(props.error)}
    </WarningPanel>
  );
}
