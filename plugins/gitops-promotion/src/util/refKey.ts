import { ObjectRef } from '@gitops-promotion/backstage-plugin-common';

/** A stable key of an object reference: polled views hold new objects for the same refs. */
export function refKey(ref: ObjectRef): string {
  return [
    ref.cluster,
    ref.group,
    ref.version,
    ref.plural,
    ref.namespace,
    ref.name,
  ].join('/');
}
