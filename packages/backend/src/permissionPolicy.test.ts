import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  gitopsPromotionObjectPermissions,
  gitopsPromotionReconcilePermission,
  gitopsPromotionValuesReadPermission,
  gitopsPromotionViewPermission,
} from '@gitops-promotion/backstage-plugin-common';
import { DemoPermissionPolicy, ON_CALL_GROUP } from './permissionPolicy';

/** The policy's answer for a user who owns through these refs. */
async function decide(permission: any, ownership: string[]) {
  const policy = new DemoPermissionPolicy(
    mockServices.userInfo({ ownershipEntityRefs: ownership }),
  );
  const user = mockCredentials.user('user:development/guest');
  return policy.handle({ permission }, {
    credentials: user,
    info: { userEntityRef: 'user:development/guest', ownershipEntityRefs: [] },
  } as any);
}

const GUEST = ['user:development/guest', 'group:default/team-platform'];
const ON_CALL = ['user:default/alice', ON_CALL_GROUP];

describe('the demo permission policy', () => {
  it('lets everyone view, and owners read values', async () => {
    expect(await decide(gitopsPromotionViewPermission, GUEST)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await decide(gitopsPromotionValuesReadPermission, GUEST)).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: GUEST },
      },
    });
  });

  it('lets owners act in sandbox, development and staging only', async () => {
    expect(
      await decide(gitopsPromotionReconcilePermission, GUEST),
    ).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { rule: 'IS_ENTITY_OWNER', params: { claims: GUEST } },
    });
    for (const permission of Object.values(gitopsPromotionObjectPermissions)) {
      expect(await decide(permission, GUEST)).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'gitops-promotion',
        resourceType: 'gitops-promotion-object',
        conditions: {
          rule: 'IS_IN_ENVIRONMENT',
          resourceType: 'gitops-promotion-object',
          params: { environments: ['sandbox', 'development', 'staging'] },
        },
      });
    }
  });

  it('lets the on-call group act everywhere, production included', async () => {
    expect(await decide(gitopsPromotionReconcilePermission, ON_CALL)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    for (const permission of Object.values(gitopsPromotionObjectPermissions)) {
      expect(await decide(permission, ON_CALL)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });
});
