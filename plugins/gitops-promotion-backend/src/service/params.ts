import {
  CommonValidatorFunctions,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ObjectRef,
  ObjectRouteParams,
  WorkloadKind,
} from '@gitops-promotion/backstage-plugin-common';
import { findKindByPlural } from '@gitops-promotion/backstage-plugin-common/server';

/**
 * What the OpenAPI spec (src/schema/openapi.yaml) cannot check: the spec
 * validates every parameter's form (entity names, DNS names, known groups,
 * plurals and actions) before a handler runs; these add the rules that
 * span parameters (a version this plugin reads for that kind) and those of
 * an object named in one query parameter.
 */

/** An entity as the routes name it; its form was checked by the spec. */
export interface EntityParams {
  namespace: string;
  kind: string;
  name: string;
}

/** A cell of the entity's view: an environment and a workload (`Kind/name` split in two). */
export interface CellParams extends EntityParams {
  environment: string;
  workloadKind: WorkloadKind;
  workloadName: string;
}

/** How every route names an object (the common package's shape, shared with the client). */
export type ObjectParams = ObjectRouteParams;

export type ObjectAddress = Omit<ObjectRef, 'kind'>;

export function entityRefOf(params: EntityParams): string {
  return stringifyEntityRef(params);
}

/** An object's path parameters: a kind and a version the plugin reads. */
export function parseObjectParams(params: ObjectParams): ObjectAddress {
  const { cluster, group, version, plural, objectNamespace, objectName } =
    params;
  const kind = findKindByPlural(group, plural);
  if (!kind) {
    throw new InputError(`${plural}.${group} is not a kind this plugin reads`);
  }
  if (!kind.versions.includes(version)) {
    throw new InputError(
      `${
        kind.kind
      } is not read at version "${version}"; use one of ${kind.versions.join(
        ', ',
      )}`,
    );
  }
  return {
    cluster,
    group,
    version,
    plural,
    namespace: objectNamespace,
    name: objectName,
  };
}

/**
 * An object named in a query parameter, as the path names it:
 * `cluster/group/version/plural/namespace/name` (the spec checks the six
 * segments; their names are checked here, with the catalog model's
 * Kubernetes validators, as the spec checks them in a path).
 */
export function parseObjectQuery(value: string, param: string): ObjectAddress {
  const [cluster, group, version, plural, objectNamespace, objectName] =
    value.split('/');
  if (!CommonValidatorFunctions.isValidDnsLabel(objectNamespace)) {
    throw new InputError(
      `Query parameter "${param}": "${objectNamespace}" is not a valid namespace`,
    );
  }
  if (!CommonValidatorFunctions.isValidDnsSubdomain(objectName)) {
    throw new InputError(
      `Query parameter "${param}": "${objectName}" is not a valid object name`,
    );
  }
  return parseObjectParams({
    cluster,
    group,
    version,
    plural,
    objectNamespace,
    objectName,
  });
}
