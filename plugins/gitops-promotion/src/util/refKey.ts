import { ObjectRef } from '@gitops-promotion/backstage-plugin-common';

/** How the API names an object: cluster, group, version, plural, namespace, name. */
export function objectSegments(ref: ObjectRef): string[] {
  return [
    ref.cluster,
    ref.group,
    ref.version,
    ref.plural,
    ref.namespace,
    ref.name,
  ];
}

/** A stable key of an object reference: polled views hold new objects for the same refs. */
export function refKey(ref: ObjectRef): string {
  return objectSegments(ref).join('/');
}
