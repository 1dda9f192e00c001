import fs from 'node:fs/promises';
import path from 'node:path';
import {
  KubeEvent,
  KubeObject,
  ObjectKind,
} from '@gitops-promotion/backstage-plugin-common';
import {
  KindInfo,
  KINDS,
  kindOf,
  parseKubectlYaml,
} from '@gitops-promotion/backstage-plugin-common/server';
import { CoreV1Event } from '@kubernetes/client-node';
import { eventsOf } from './events';
import { mergePatch } from './mergePatch';
import {
  ClusterRequestError,
  ClusterSource,
  ListPage,
  ObjectTarget,
  WatchEvent,
} from './types';

/**
 * A cluster read from a folder of YAML files, for the embedded demo and
 * tests. It answers discovery, list and watch like an API server that holds
 * exactly these objects; patches (the actions) change them in memory and
 * are streamed to the watchers, so the demo reacts to its own buttons.
 */
export class FixtureClusterSource implements ClusterSource {
  private revision = 1;
  private readonly objects = new Map<ObjectKind, Map<string, KubeObject>>();
  private readonly storedEvents: CoreV1Event[] = [];
  private readonly watchers = new Set<{
    kind: ObjectKind;
    onEvent: (e: WatchEvent) => void;
  }>();

  private constructor(readonly name: string) {}

  static async fromDirectory(
    name: string,
    directory: string,
  ): Promise<FixtureClusterSource> {
    const source = new FixtureClusterSource(name);
    const files = (await fs.readdir(directory))
      .filter(f => /\.ya?ml$/.test(f))
      .sort();
    for (const file of files) {
      const text = await fs.readFile(path.join(directory, file), 'utf8');
      for (const obj of parseKubectlYaml(text, path.join(directory, file))) {
        source.add(obj);
      }
    }
    return source;
  }

  private add(obj: KubeObject) {
    if (obj.kind === 'Event') {
      // As YAML holds it: timestamps are strings, which eventsOf reads too.
      this.storedEvents.push(obj as unknown as CoreV1Event);
      return;
    }
    const kind = kindOf(obj as KubeObject);
    if (!kind) return;
    const key = `${obj.metadata?.namespace}/${obj.metadata?.name}`;
    let ofKind = this.objects.get(kind);
    if (!ofKind) {
      ofKind = new Map();
      this.objects.set(kind, ofKind);
    }
    ofKind.set(key, obj as KubeObject);
  }

  async discover(groups: string[]) {
    const served = new Map<string, Map<string, Set<string>>>();
    for (const info of Object.values(KINDS)) {
      if (!groups.includes(info.group)) continue;
      const versions = served.get(info.group) ?? new Map<string, Set<string>>();
      const version = info.versions[0];
      versions.set(
        version,
        (versions.get(version) ?? new Set()).add(info.plural),
      );
      served.set(info.group, versions);
    }
    return served;
  }

  async list(
    kind: KindInfo,
    _version: string,
    limit: number,
    continueToken?: string,
  ): Promise<ListPage> {
    const all = [...(this.objects.get(kind.kind)?.values() ?? [])];
    const start = continueToken ? Number(continueToken) : 0;
    const end = start + limit;
    return {
      items: all.slice(start, end),
      resourceVersion: String(this.revision),
      continueToken: end < all.length ? String(end) : undefined,
    };
  }

  watch(
    kind: KindInfo,
    _version: string,
    _resourceVersion: string,
    onEvent: (e: WatchEvent) => void,
  ) {
    const watcher = { kind: kind.kind, onEvent };
    this.watchers.add(watcher);
    let stop!: () => void;
    const done = new Promise<void>(resolve => {
      stop = () => {
        this.watchers.delete(watcher);
        resolve();
      };
    });
    return { accepted: Promise.resolve(), done, stop };
  }

  private find(target: ObjectTarget): KubeObject {
    const obj = this.objects
      .get(target.kind.kind)
      ?.get(`${target.namespace}/${target.name}`);
    if (!obj) {
      throw new ClusterRequestError(
        'NOT_FOUND',
        `${target.kind.kind} ${target.namespace}/${target.name} does not exist in cluster ${this.name}`,
        404,
      );
    }
    return obj;
  }

  /** Files always answer. */
  async probe(): Promise<void> {}

  async get(target: ObjectTarget): Promise<KubeObject> {
    return structuredClone(this.find(target));
  }

  async events(target: ObjectTarget): Promise<KubeEvent[]> {
    this.find(target);
    return eventsOf(this.storedEvents, target);
  }

  async patch(target: ObjectTarget, patch: object): Promise<KubeObject> {
    const obj = mergePatch(this.find(target), patch) as KubeObject;
    this.revision += 1;
    obj.metadata.resourceVersion = String(this.revision);
    this.objects
      .get(target.kind.kind)!
      .set(`${target.namespace}/${target.name}`, obj);
    for (const w of this.watchers) {
      if (w.kind === target.kind.kind)
        w.onEvent({ type: 'MODIFIED', object: structuredClone(obj) });
    }
    return structuredClone(obj);
  }
}
