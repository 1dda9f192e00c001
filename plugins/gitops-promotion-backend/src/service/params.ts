import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  OBJECT_ACTIONS,
  ObjectAction,
  ObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import {
  findKindByPlural,
  isDnsLabel,
  isDnsSubdomain,
} from '@gitops-promotion/backstage-plugin-common/server';

// The catalog's rules for kinds, namespaces and names (catalog-model's validators).
const KIND = /^[a-zA-Z][a-z0-9A-Z]{0,62}$/;
const NAME = /^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?$/;

/** `:namespace/:kind/:name` path parameters as an entity ref, validated. */
export function parseEntityParams(params: {
  namespace?: string;
  kind?: string;
  name?: string;
}): string {
  const { namespace = '', kind = '', name = '' } = params;
  if (!KIND.test(kind))
    throw new InputError(`"${kind}" is not a valid entity kind`);
  if (!NAME.test(namespace))
    throw new InputError(`"${namespace}" is not a valid entity namespace`);
  if (!NAME.test(name))
    throw new InputError(`"${name}" is not a valid entity name`);
  return stringifyEntityRef({ kind, namespace, name });
}

/** How every route names an object: its cluster, API group, version and plural, namespace and name. */
export interface ObjectParams {
  cluster?: string;
  group?: string;
  version?: string;
  plural?: string;
  objectNamespace?: string;
  objectName?: string;
}

export type ObjectAddress = Omit<ObjectRef, 'kind'>;

/** An object's path parameters, validated: a kind and version the plugin reads, DNS names. */
export function parseObjectParams(params: ObjectParams): ObjectAddress {
  const {
    cluster = '',
    group = '',
    version = '',
    plural = '',
    objectNamespace: namespace = '',
    objectName: name = '',
  } = params;
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
  if (!isDnsLabel(namespace)) {
    throw new InputError(`"${namespace}" is not a valid namespace`);
  }
  if (!isDnsSubdomain(name)) {
    throw new InputError(`"${name}" is not a valid object name`);
  }
  return { cluster, group, version, plural, namespace, name };
}

/**
 * An object named in a query parameter, as the path names it:
 * `cluster/group/version/plural/namespace/name`.
 */
export function parseObjectQuery(value: unknown, param: string): ObjectAddress {
  const parts = typeof value === 'string' ? value.split('/') : [];
  if (parts.length !== 6) {
    throw new InputError(
      `Query parameter "${param}" must name an object as cluster/group/version/plural/namespace/name`,
    );
  }
  const [cluster, group, version, plural, objectNamespace, objectName] = parts;
  return parseObjectParams({
    cluster,
    group,
    version,
    plural,
    objectNamespace,
    objectName,
  });
}

export function parseAction(value: string | undefined): ObjectAction {
  if (!OBJECT_ACTIONS.includes(value as ObjectAction)) {
    throw new InputError(
      `Unknown action "${value}"; use one of ${OBJECT_ACTIONS.join(', ')}`,
    );
  }
  return value as ObjectAction;
}
