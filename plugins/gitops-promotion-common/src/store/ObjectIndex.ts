import { ObjectKind } from '../kinds';
import { KubeObject } from '../types/objects';

/** Lookups the chain walk needs in one cluster. @public */
export interface ObjectLookup {
  get(
    kind: ObjectKind,
    namespace: string,
    name: string,
  ): KubeObject | undefined;
  /** Objects whose controller ownerReference points at this uid. */
  ownedBy(uid: string): KubeObject[];
  /**
   * Whether objects of a kind could be read from the cluster: an object
   * absent from a kind that could not is unknown, not missing. A lookup
   * without it could read every kind.
   */
  hasData?(kind: ObjectKind): boolean;
}

/** Lookups the view builder needs to select workloads in one cluster. @public */
export interface ObjectStore extends ObjectLookup {
  byName(kind: ObjectKind, name: string): KubeObject[];
  list(kind: ObjectKind): Iterable<KubeObject>;
  /**
   * The objects of a kind whose label `key` is `value` (in the order they
   * were stored), from an index. A store without one leaves it out and
   * selectors scan list().
   */
  withLabel?(kind: ObjectKind, key: string, value: string): KubeObject[];
  /**
   * Counts the store's changes: while it is the same, every lookup gives
   * the same objects. A store without one is read afresh on every view.
   */
  readonly revision?: number;
}

/** Objects sharing one label value: one object alone, a set once there are more. */
type LabelGroup = KubeObject | Set<KubeObject>;

function controllerUid(obj: KubeObject): string | undefined {
  return obj.metadata.ownerReferences?.find(o => o.controller)?.uid;
}

/**
 * The objects of one cluster, indexed for the lookups a page view makes:
 * by namespace/name, by name across namespaces, and by controller owner.
 * Kept in memory by the backend's watch cache; no I/O.
 *
 * A cluster holds thousands of objects: the maps are nested (kind →
 * namespace → name) and keyed by the objects' own namespace and name
 * strings, so indexing an object allocates no key string; a name looked up
 * across namespaces visits each namespace of the kind. Labels are indexed
 * too (kind → key → value), so a selector's `key=value` does not walk every
 * object of every cluster on each page view.
 * @public
 */
export class ObjectIndex implements ObjectStore {
  private readonly kinds = new Map<
    ObjectKind,
    Map<string, Map<string, KubeObject>>
  >();
  private readonly owned = new Map<string, KubeObject[]>();
  private changes = 0;
  private readonly labels = new Map<
    ObjectKind,
    Map<string, Map<string, LabelGroup>>
  >();

  get(
    kind: ObjectKind,
    namespace: string,
    name: string,
  ): KubeObject | undefined {
    return this.kinds.get(kind)?.get(namespace)?.get(name);
  }

  byName(kind: ObjectKind, name: string): KubeObject[] {
    const found: KubeObject[] = [];
    for (const objects of this.kinds.get(kind)?.values() ?? []) {
      const obj = objects.get(name);
      if (obj) found.push(obj);
    }
    return found;
  }

  list(kind: ObjectKind): Iterable<KubeObject> {
    // An array, not a generator: a page view walks every workload of every
    // cluster, and resuming a generator per object tripled the view's time.
    const all: KubeObject[] = [];
    for (const objects of this.kinds.get(kind)?.values() ?? []) {
      for (const obj of objects.values()) all.push(obj);
    }
    return all;
  }

  withLabel(kind: ObjectKind, key: string, value: string): KubeObject[] {
    const group = this.labels.get(kind)?.get(key)?.get(value);
    if (!group) return [];
    return group instanceof Set ? [...group] : [group];
  }

  ownedBy(uid: string): KubeObject[] {
    return [...(this.owned.get(uid) ?? [])];
  }

  /** Counts every upsert and removal: see ObjectStore.revision. */
  get revision(): number {
    return this.changes;
  }

  size(kind?: ObjectKind): number {
    let total = 0;
    for (const [k, namespaces] of this.kinds) {
      if (kind && k !== kind) continue;
      for (const objects of namespaces.values()) {
        total += objects.size;
      }
    }
    return total;
  }

  upsert(kind: ObjectKind, obj: KubeObject): void {
    const { namespace = '', name } = obj.metadata;
    this.remove(kind, namespace, name);
    this.changes += 1;
    let namespaces = this.kinds.get(kind);
    if (!namespaces) {
      namespaces = new Map();
      this.kinds.set(kind, namespaces);
    }
    let objects = namespaces.get(namespace);
    if (!objects) {
      objects = new Map();
      namespaces.set(namespace, objects);
    }
    objects.set(name, obj);
    this.indexLabels(kind, obj);
    const owner = controllerUid(obj);
    if (owner) {
      // A new array of the exact length: push() would reserve 16 more slots
      // for every owner, and an owner has a handful of children.
      const siblings = this.owned.get(owner);
      this.owned.set(owner, siblings ? [...siblings, obj] : [obj]);
    }
  }

  remove(kind: ObjectKind, namespace: string | undefined, name: string): void {
    const namespaces = this.kinds.get(kind);
    const objects = namespaces?.get(namespace ?? '');
    const old = objects?.get(name);
    if (!namespaces || !objects || !old) {
      return;
    }
    this.changes += 1;
    objects.delete(name);
    if (objects.size === 0) {
      namespaces.delete(namespace ?? '');
    }
    this.unindexLabels(kind, old);
    const owner = controllerUid(old);
    const siblings = owner ? this.owned.get(owner) : undefined;
    if (owner && siblings) {
      const rest = siblings.filter(o => o !== old);
      if (rest.length > 0) this.owned.set(owner, rest);
      else this.owned.delete(owner);
    }
  }

  private indexLabels(kind: ObjectKind, obj: KubeObject) {
    const labels = obj.metadata.labels;
    if (!labels) return;
    let keys = this.labels.get(kind);
    if (!keys) {
      keys = new Map();
      this.labels.set(kind, keys);
    }
    for (const [key, value] of Object.entries(labels)) {
      let values = keys.get(key);
      if (!values) {
        values = new Map();
        keys.set(key, values);
      }
      const group = values.get(value);
      if (!group) values.set(value, obj);
      else if (group instanceof Set) group.add(obj);
      else values.set(value, new Set([group, obj]));
    }
  }

  private unindexLabels(kind: ObjectKind, obj: KubeObject) {
    const labels = obj.metadata.labels;
    const keys = this.labels.get(kind);
    if (!labels || !keys) return;
    for (const [key, value] of Object.entries(labels)) {
      const values = keys.get(key);
      const group = values?.get(value);
      if (!values || !group) continue;
      if (group instanceof Set) {
        group.delete(obj);
        if (group.size === 0) values.delete(value);
      } else if (group === obj) {
        values.delete(value);
      }
      if (values.size === 0) keys.delete(key);
    }
  }

  /** Replaces every object of a kind, as a relist does. */
  replaceKind(kind: ObjectKind, objects: Iterable<KubeObject>): void {
    for (const old of [...this.list(kind)]) {
      this.remove(kind, old.metadata.namespace, old.metadata.name);
    }
    for (const obj of objects) {
      this.upsert(kind, obj);
    }
  }
}
