import fs from 'node:fs';
import path from 'node:path';
import {
  KubeObject,
  kindOf,
  ObjectKind,
  parseKubectlYaml,
} from '@gitops-promotion/backstage-plugin-common';

/** The repository's demo fixtures: objects as the Flux and KuboCD controllers write them. */
export const DEMO_CLUSTERS = path.resolve(
  __dirname,
  '../../../../examples/clusters',
);

/** A demo cluster's objects, by kind. */
export function demoObjects(cluster: string): Map<ObjectKind, KubeObject[]> {
  const dir = path.join(DEMO_CLUSTERS, cluster);
  const byKind = new Map<ObjectKind, KubeObject[]>();
  for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.yaml'))) {
    for (const obj of parseKubectlYaml(
      fs.readFileSync(path.join(dir, file), 'utf8'),
      file,
    )) {
      const kind = kindOf(obj as KubeObject);
      if (kind)
        byKind.set(kind, [...(byKind.get(kind) ?? []), obj as KubeObject]);
    }
  }
  return byKind;
}
