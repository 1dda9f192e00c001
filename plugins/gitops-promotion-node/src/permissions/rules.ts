import { createPermissionRule } from '@backstage/plugin-permission-node';
import { ALL_KINDS } from '@gitops-promotion/backstage-plugin-common/server';
import { z } from 'zod';
import { gitopsPromotionObjectPermissionResourceRef as resourceRef } from './resource';

const names = (what: string) =>
  z.array(z.string()).describe(`List of ${what} to match one of`);

const isInEnvironment = createPermissionRule({
  name: 'IS_IN_ENVIRONMENT',
  description:
    'Allow objects of the given environments (names of gitopsPromotion.environments)',
  resourceRef,
  paramsSchema: z.object({ environments: names('environments') }),
  apply: (object, { environments }) =>
    environments.includes(object.environment),
  toQuery: ({ environments }) => ({ key: 'environment', values: environments }),
});

const isInCluster = createPermissionRule({
  name: 'IS_IN_CLUSTER',
  description: 'Allow objects in the given clusters',
  resourceRef,
  paramsSchema: z.object({ clusters: names('clusters') }),
  apply: (object, { clusters }) => clusters.includes(object.cluster),
  toQuery: ({ clusters }) => ({ key: 'cluster', values: clusters }),
});

const isInNamespace = createPermissionRule({
  name: 'IS_IN_NAMESPACE',
  description: 'Allow objects in the given namespaces',
  resourceRef,
  paramsSchema: z.object({ namespaces: names('namespaces') }),
  apply: (object, { namespaces }) => namespaces.includes(object.namespace),
  toQuery: ({ namespaces }) => ({ key: 'namespace', values: namespaces }),
});

const isOfKind = createPermissionRule({
  name: 'IS_OF_KIND',
  description: `Allow objects of the given kinds (${ALL_KINDS.join(', ')})`,
  resourceRef,
  paramsSchema: z.object({
    kinds: z.array(z.enum(ALL_KINDS)).describe('List of kinds to match one of'),
  }),
  apply: (object, { kinds }) => kinds.includes(object.kind),
  toQuery: ({ kinds }) => ({ key: 'kind', values: kinds }),
});

/**
 * The rules of `gitops-promotion-object`: the environment, cluster,
 * namespace and kind of the object acted on.
 * @public
 */
export const gitopsPromotionObjectRules = {
  isInEnvironment,
  isInCluster,
  isInNamespace,
  isOfKind,
};
