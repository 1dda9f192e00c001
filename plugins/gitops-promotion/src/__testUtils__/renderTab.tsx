import { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { GitopsPromotionClient, gitopsPromotionApiRef } from '../api';
import { PromotionTab } from '../components/PromotionTab';

type PermissionOptions = NonNullable<Parameters<typeof mockApis.permission>[0]>;
type Decision = Exclude<PermissionOptions['authorize'], Function | undefined>;
const ALLOW = 'ALLOW' as Decision;
const DENY = 'DENY' as Decision;

/** The real client, through a fetch that msw answers. */
export function realClient() {
  return new GitopsPromotionClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: mockApis.fetch(),
  });
}

/**
 * The Promotion tab of an entity in a test app, talking to the backend
 * through the real client. Polling is slow unless asked for. Returns a spy
 * on the permission checks.
 */
export function renderTab(
  entity: Entity,
  options: { canReconcile?: boolean; refreshIntervalSeconds?: number } = {},
) {
  const permissionApi = mockApis.permission({
    authorize: options.canReconcile ? ALLOW : DENY,
  });
  const authorize = jest.spyOn(permissionApi, 'authorize');
  renderInTestApp(
    <EntityProvider entity={entity}>
      <PromotionTab />
    </EntityProvider>,
    {
      apis: [[gitopsPromotionApiRef, realClient()], permissionApi],
      config: {
        gitopsPromotion: {
          refreshIntervalSeconds: options.refreshIntervalSeconds ?? 3600,
        },
      },
    },
  );
  return { authorize };
}
