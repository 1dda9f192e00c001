import { ErrorPanel, Progress } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { gitopsPromotionViewPermission } from '@gitops-promotion/backstage-plugin-common';
import { ReactNode } from 'react';
import { gitopsPromotionTranslationRef } from '../../translation';
import { ViewDenied } from './ViewDenied';

/**
 * Renders its children only for users the permission policy lets view the
 * entity's promotion status; explains a denial instead of asking the
 * backend for a 403.
 */
export function RequireViewPermission(props: {
  entityRef: string;
  children: ReactNode;
}) {
  const { t } = useTranslationRef(gitopsPromotionTranslationRef);
  const { loading, allowed, error } = usePermission({
    permission: gitopsPromotionViewPermission,
    resourceRef: props.entityRef,
  });
  if (loading) return <Progress />;
  // A check that could not be made is not a denial: say which it was.
  if (error) {
    return <ErrorPanel title={t('viewDenied.checkFailed')} error={error} />;
  }
  if (!allowed) return <ViewDenied entityRef={props.entityRef} />;
  return <>{props.children}</>;
}
