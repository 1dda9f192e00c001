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
}

/** Lookups the view builder needs to select workloads in one cluster. @public */
export interface ObjectStore extends ObjectLookup {
  byName(kind: ObjectKind, name: string): KubeObject[];
  list(kind: ObjectKind): Iterable<KubeObject>;
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function controllerUid(obj: KubeObject): string | undefined {
  return obj.metadata.ownerReferences?.find(o => o.controller)?.uid;
}

/**
 * The objects of one cluster, indexed for the lookups a page view makes:
 * by namespace/name, by name across namespaces, and by controller owner.
 * Kept in memory by the backend's watch cache; no I/O.
 * @public
 */
export class ObjectIndex implements ObjectStore {
  private readonly kinds = new Map<ObjectKind, Map<string, KubeObject>>();
  private readonly names = new Map<string, Map<string, KubeObject>>();
  private readonly owned = new Map<string, Map<string, KubeObject>>();

  get(
    kind: ObjectKind,
    namespace: string,
    name: string,
  ): KubeObject | undefined {
    return this.kinds.get(kind)?.get(objectKey(namespace, name));
  }

  byName(kind: ObjectKind, name: string): KubeObject[] {
    return [...(this.names.get(`${kind}/${name}`)?.values() ?? [])];
  }

  list(kind: ObjectKind): Iterable<KubeObject> {
    return this.kinds.get(kind)?.values() ?? [];
  }

  ownedBy(uid: string): KubeObject[] {
    return [...(this.owned.get(uid)?.values() ?? [])];
  }

  size(kind?: ObjectKind): number {
    if (kind) {
      return this.kinds.get(kind)?.size ?? 0;
    }
    let total = 0;
    for (const objects of this.kinds.values()) {
      total += objects.size;
    }
    return total;
  }

  upsert(kind: ObjectKind, obj: KubeObject): void {
    this.remove(kind, obj.metadata.namespace, obj.metadata.name);
    const key = objectKey(obj.metadata.namespace, obj.metadata.name);
    mapIn(this.kinds, kind).set(key, obj);
    mapIn(this.names, `${kind}/${obj.metadata.name}`).set(key, obj);
    const owner = controllerUid(obj);
    if (owner) {
      mapIn(this.owned, owner).set(`${kind}/${key}`, obj);
    }
  }

  remove(kind: ObjectKind, namespace: string | undefined, name: string): void {
    const key = objectKey(namespace, name);
    const objects = this.kinds.get(kind);
    const old = objects?.get(key);
    if (!objects || !old) {
      return;
    }
    objects.delete(key);
    deleteIn(this.names, `${kind}/${name}`, key);
    const owner = controllerUid(old);
    if (owner) {
      deleteIn(this.owned, owner, `${kind}/${key}`);
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

function mapIn<K, V>(outer: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let inner = outer.get(key);
  if (!inner) {
    inner = new Map();
    outer.set(key, inner);
  }
  return inner;
}

function deleteIn<V>(
  outer: Map<string, Map<string, V>>,
  key: string,
  innerKey: string,
) {
  const inner = outer.get(key);
  inner?.delete(innerKey);
  if (inner?.size === 0) {
    outer.delete(key);
  }
}
