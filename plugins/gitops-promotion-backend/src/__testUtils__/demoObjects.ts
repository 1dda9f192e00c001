import path from 'node:path';
import {
  KubeObject,
  ObjectKind,
} from '@gitops-promotion/backstage-plugin-common';
import { kindOf } from '@gitops-promotion/backstage-plugin-common/server';
import { readFixtureObjects, repoRoot } from '@internal/kube-testbed';

/**
 * The repository's demo fixtures: objects written by hand in the shape the
 * Flux and KuboCD controllers write them (the real-Flux captures are in the
 * common package's __fixtures__/real-flux).
 */
export const DEMO_CLUSTERS = path.join(repoRoot(), 'examples', 'clusters');

/** A demo cluster's objects, by kind. */
export function demoObjects(cluster: string): Map<ObjectKind, KubeObject[]> {
  const byKind = new Map<ObjectKind, KubeObject[]>();
  for (const obj of readFixtureObjects(path.join(DEMO_CLUSTERS, cluster))) {
    const kind = kindOf(obj as KubeObject);
    if (kind)
      byKind.set(kind, [...(byKind.get(kind) ?? []), obj as KubeObject]);
  }
  return byKind;
}
