import { KINDS, ObjectKind } from '../kinds';
import { KubeObject } from '../types/objects';
import { ObjectRef } from '../types/view';

/**
 * The reference of an object in a cluster; the version is the one the
 * object was read at, so the drill-down fetches it at the same version
 * (one of the kind's known versions: it goes into a request's path).
 * @public
 */
export function objectRef(
  cluster: string,
  kind: ObjectKind,
  namespace: string,
  name: string,
  obj?: KubeObject,
): ObjectRef {
  const info = KINDS[kind];
  const read = obj?.apiVersion?.split('/')[1];
  const version =
    read && info.versions.includes(read) ? read : info.versions[0];
  return {
    cluster,
    kind,
    group: info.group,
    version,
    plural: info.plural,
    namespace,
    name,
  };
}

/**
 * How the HTTP API's routes name an object in their path: its cluster, API
 * group, version and plural, namespace and name.
 * @public
 */
export interface ObjectRouteParams {
  cluster: string;
  group: string;
  version: string;
  plural: string;
  objectNamespace: string;
  objectName: string;
}

/** An object's {@link ObjectRouteParams}. @public */
export function objectRouteParams(
  ref: Omit<ObjectRef, 'kind'>,
): ObjectRouteParams {
  return {
    cluster: ref.cluster,
    group: ref.group,
    version: ref.version,
    plural: ref.plural,
    objectNamespace: ref.namespace,
    objectName: ref.name,
  };
}

/** `Kind namespace/name`, as a person names an object. @public */
export function describeRef(
  ref: Pick<ObjectRef, 'kind' | 'namespace' | 'name'>,
): string {
  return `${ref.kind} ${ref.namespace}/${ref.name}`;
}
