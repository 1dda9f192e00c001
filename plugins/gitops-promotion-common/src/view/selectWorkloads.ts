import {
  LabelRequirement,
  matchesLabels,
  parseLabelSelector,
} from '../entity/labelSelector';
import { KUBOCD_GROUP } from '../kinds';
import { ObjectStore } from '../store/ObjectIndex';
import { KubeObject } from '../types/objects';
import { WorkloadSelector } from '../types/view';

/** A selector with its label requirements parsed once. */
export interface CompiledSelector {
  selector: WorkloadSelector;
  requirements?: LabelRequirement[];
}

/** The uid of the KuboCD Release that controls an object (a HelmRelease it made), if one does. */
export function owningReleaseUid(obj: KubeObject): string | undefined {
  return obj.metadata.ownerReferences?.find(
    o =>
      o.controller &&
      o.kind === 'Release' &&
      o.apiVersion.startsWith(`${KUBOCD_GROUP}/`),
  )?.uid;
}

/** The workloads a selector picks in one cluster, within the environment's namespaces. */
export function select(
  store: ObjectStore,
  compiled: CompiledSelector,
  namespaces?: string[],
): KubeObject[] {
  const { selector, requirements } = compiled;
  const inScope = (obj: KubeObject) => {
    const ns = obj.metadata.namespace ?? 'default';
    return (
      (!namespaces || namespaces.includes(ns)) &&
      (!selector.namespace || selector.namespace === ns)
    );
  };
  if (selector.name) {
    const found = selector.namespace
      ? [store.get(selector.kind, selector.namespace, selector.name)]
      : store.byName(selector.kind, selector.name);
    return found.filter((o): o is KubeObject => !!o && inScope(o));
  }
  // A `key=value` requirement narrows the candidates through the store's
  // label index; every requirement is still checked on each of them.
  const indexed = store.withLabel
    ? requirements!.find(r => r.op === 'in' && r.values.length === 1)
    : undefined;
  const candidates =
    indexed && indexed.op === 'in'
      ? store.withLabel!(selector.kind, indexed.key, indexed.values[0])
      : store.list(selector.kind);
  const matches: KubeObject[] = [];
  for (const obj of candidates) {
    // A HelmRelease a Release owns is shown in the Release's chain, not as a row.
    if (
      inScope(obj) &&
      matchesLabels(requirements!, obj.metadata.labels) &&
      !(selector.kind === 'HelmRelease' && owningReleaseUid(obj))
    ) {
      matches.push(obj);
    }
  }
  return matches;
}

/** Parses each selector's label selector once, for every cluster it is matched in. */
export function compileSelectors(
  selectors: WorkloadSelector[],
): CompiledSelector[] {
  return selectors.map(selector => ({
    selector,
    requirements: selector.labelSelector
      ? parseLabelSelector(selector.labelSelector)
      : undefined,
  }));
}
