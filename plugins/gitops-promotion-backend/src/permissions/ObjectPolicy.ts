import {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  createConditionAuthorizer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  gitopsPromotionObjectPermissions,
  ObjectAction,
} from '@gitops-promotion/backstage-plugin-common';
import {
  GitopsPromotionObject,
  gitopsPromotionObjectPermissionResourceRef,
} from '@gitops-promotion/backstage-plugin-node';

/**
 * The policy's say on the object an action acts on: one conditional
 * decision per action from the permission framework, applied here to each
 * object with the registered rules (as the catalog applies its own).
 */
export class ObjectPolicy {
  private readonly apply: (
    decision: Parameters<ReturnType<typeof createConditionAuthorizer>>[0],
    object: GitopsPromotionObject,
  ) => boolean;

  constructor(
    private readonly permissions: PermissionsService,
    registry: PermissionsRegistryService,
  ) {
    const ruleset: PermissionRuleset<GitopsPromotionObject> =
      registry.getPermissionRuleset(gitopsPromotionObjectPermissionResourceRef);
    this.apply = createConditionAuthorizer(ruleset);
  }

  /** Asks once per action; the answer tells whether an action is allowed on an object. */
  async decide(
    actions: ObjectAction[],
    credentials: BackstageCredentials,
  ): Promise<(action: ObjectAction, object: GitopsPromotionObject) => boolean> {
    const decisions = await this.permissions.authorizeConditional(
      actions.map(a => ({ permission: gitopsPromotionObjectPermissions[a] })),
      { credentials },
    );
    const byAction = new Map(actions.map((a, i) => [a, decisions[i]]));
    return (action, object) => {
      const decision = byAction.get(action);
      return !!decision && this.apply(decision, object);
    };
  }
}
