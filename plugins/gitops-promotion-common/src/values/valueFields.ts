import { kindOf, ObjectKind } from '../kinds';
import { KubeObject } from '../types/objects';
import { HiddenField } from '../types/view';
import { redactSecrets } from './secrets';

interface ValueField {
  path: string[];
  /** A tree of values, whose credentials are redacted; otherwise references (Secret names) kept as they are. */
  values: boolean;
}

/**
 * Where each kind carries the values it deploys with: the fields
 * `gitops-promotion.values.read` guards. Helm values and where they come
 * from, KuboCD parameters, Kustomization post-build substitutions and
 * where they come from.
 */
const VALUE_FIELDS: Partial<Record<ObjectKind, ValueField[]>> = {
  HelmRelease: [
    { path: ['spec', 'values'], values: true },
    { path: ['spec', 'valuesFrom'], values: false },
  ],
  Release: [{ path: ['spec', 'parameters'], values: true }],
  Kustomization: [
    { path: ['spec', 'postBuild', 'substitute'], values: true },
    { path: ['spec', 'postBuild', 'substituteFrom'], values: false },
  ],
};

function fieldsOf(obj: KubeObject): ValueField[] {
  const kind = kindOf(obj);
  return (kind && VALUE_FIELDS[kind]) ?? [];
}

type Tree = Record<string, unknown>;

const isTree = (value: unknown): value is Tree =>
  !!value && typeof value === 'object';

function get(obj: unknown, path: string[]): unknown {
  return path.reduce<unknown>((o, k) => (isTree(o) ? o[k] : undefined), obj);
}

/** A copy of `obj` with `value` at `path` (or without it when undefined), sharing the rest. */
function set<T>(obj: T, path: string[], value: unknown): T {
  const [head, ...rest] = path;
  if (!isTree(obj) || !(head in obj)) return obj;
  const copy: Tree = { ...obj };
  if (rest.length > 0) copy[head] = set(obj[head], rest, value);
  else if (value === undefined) delete copy[head];
  else copy[head] = value;
  return copy as T;
}

/**
 * An object without its value fields, for a caller who may not read
 * values: each field present is listed with the digest of what it held,
 * so two objects can still be told equal or not.
 * @public
 */
export function hideValueFields(
  obj: KubeObject,
  digest: (value: unknown) => string,
): { object: KubeObject; hiddenFields: HiddenField[] } {
  let object = obj;
  const hiddenFields: HiddenField[] = [];
  for (const field of fieldsOf(obj)) {
    const value = get(obj, field.path);
    if (value === undefined) continue;
    hiddenFields.push({ path: field.path.join('.'), digest: digest(value) });
    object = set(object, field.path, undefined);
  }
  return { object, hiddenFields };
}

/**
 * An object whose value fields have their credentials redacted
 * ({@link redactSecrets}), with the paths redacted.
 * @public
 */
export function redactValueFields(obj: KubeObject): {
  object: KubeObject;
  redactedPaths: string[];
} {
  let object = obj;
  const redactedPaths: string[] = [];
  for (const field of fieldsOf(obj).filter(f => f.values)) {
    const value = get(obj, field.path);
    if (value === undefined) continue;
    const redacted = redactSecrets(value, field.path.join('.'));
    redactedPaths.push(...redacted.redactedPaths);
    object = set(object, field.path, redacted.value);
  }
  return { object, redactedPaths };
}

/**
 * What a workload runs with, as one document: a HelmRelease's values; a
 * KuboCD Release's parameters and the values it rendered into each of its
 * HelmReleases (named without namespace, so environments line up); a
 * Kustomization's post-build substitutions.
 * @public
 */
export function valuesDocument(
  workload: KubeObject,
  helmReleases: KubeObject[],
): Record<string, unknown> {
  switch (kindOf(workload)) {
    case 'Release':
      return {
        parameters: workload.spec?.parameters ?? {},
        helmReleases: Object.fromEntries(
          helmReleases.map(hr => [hr.metadata.name, hr.spec?.values ?? {}]),
        ),
      };
    case 'Kustomization':
      return (
        (workload.spec?.postBuild as { substitute?: Record<string, unknown> })
          ?.substitute ?? {}
      );
    default:
      return (workload.spec?.values as Record<string, unknown>) ?? {};
  }
}
