import { Progress } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { gitopsPromotionViewPermission } from '@gitops-promotion/backstage-plugin-common';
import { ReactNode } from 'react';
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
  const { loading, allowed } = usePermission({
    permission: gitopsPromotionViewPermission,
    resourceRef: props.entityRef,
  });
  if (loading) return <Progress />;
  if (!allowed) return <ViewDenied entityRef={props.entityRef} />;
  return <>{props.children}</>;
}
