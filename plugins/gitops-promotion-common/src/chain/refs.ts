import { KINDS, ObjectKind } from '../kinds';
import { KubeObject } from '../types/objects';
import { ObjectRef } from '../types/view';

/**
 * The reference of an object in a cluster; the version is the one the
 * object was read at, so the drill-down fetches it at the same version.
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
  const version = obj?.apiVersion?.split('/')[1] ?? info.versions[0];
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

/** `Kind namespace/name`, as a person names an object. @public */
export function describeRef(
  ref: Pick<ObjectRef, 'kind' | 'namespace' | 'name'>,
): string {
  return `${ref.kind} ${ref.namespace}/${ref.name}`;
}
