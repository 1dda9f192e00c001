import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

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

/** The `entity` query parameter of object reads: a full entity ref. */
export function parseEntityRefParam(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new InputError(
      'Query parameter "entity" is required: the entity ref whose view holds this object',
    );
  }
  let ref;
  try {
    ref = parseEntityRef(value);
  } catch (e) {
    throw new InputError(`Query parameter "entity": ${(e as Error).message}`);
  }
  return parseEntityParams(ref);
}
