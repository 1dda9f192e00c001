import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  createGitopsPromotionObjectConditionalDecision,
  gitopsPromotionObjectConditions,
} from '@gitops-promotion/backstage-plugin-node';
import {
  gitopsPromotionReconcilePermission,
  gitopsPromotionValuesReadPermission,
  RESOURCE_TYPE_GITOPS_PROMOTION_OBJECT,
} from '@gitops-promotion/backstage-plugin-common';

/** The group that may act in production (examples/org.yaml). */
export const ON_CALL_GROUP = 'group:default/production-on-call';

/**
 * The demo portal's policy for the GitOps promotion plugins:
 * - everyone signed in may view every entity's promotion tab;
 * - an entity's owners may read its Helm values (credentials redacted),
 *   others see which keys differ;
 * - owners may reconcile, suspend and resume in sandbox, development and
 *   staging; only the on-call group acts in production (and anywhere);
 * - everything else is allowed, as the allow-all policy it replaces did.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  constructor(private readonly userInfo: UserInfoService) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const claims = user
      ? (await this.userInfo.getUserInfo(user.credentials)).ownershipEntityRefs
      : [];
    const onCall = claims.includes(ON_CALL_GROUP);
    if (isPermission(permission, gitopsPromotionValuesReadPermission)) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    if (isPermission(permission, gitopsPromotionReconcilePermission)) {
      return onCall
        ? { result: AuthorizeResult.ALLOW }
        : createCatalogConditionalDecision(
            permission,
            catalogConditions.isEntityOwner({ claims }),
          );
    }
    if (
      isResourcePermission(permission, RESOURCE_TYPE_GITOPS_PROMOTION_OBJECT)
    ) {
      return onCall
        ? { result: AuthorizeResult.ALLOW }
        : createGitopsPromotionObjectConditionalDecision(
            permission,
            gitopsPromotionObjectConditions.isInEnvironment({
              environments: ['sandbox', 'development', 'staging'],
            }),
          );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/** Installs {@link DemoPermissionPolicy} in the permission backend. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'gitops-promotion-demo-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, userInfo }) {
        policy.setPolicy(new DemoPermissionPolicy(userInfo));
      },
    });
  },
});
