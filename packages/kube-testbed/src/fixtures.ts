import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { KubeObject } from './kubeRest';

/**
 * Reads every *.yaml / *.yml file of a folder (not recursive) as
 * `kubectl get -o yaml` prints it: one object, several `---` documents, or
 * a `kind: List` (or any *List kind) with `items`.
 */
export function readFixtureObjects(dir: string): KubeObject[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new Error(`kube-testbed: fixture folder ${dir} does not exist`);
  }
  const files = fs
    .readdirSync(dir)
    .filter(file => /\.ya?ml$/.test(file))
    .sort();
  return files.flatMap(file => readYamlObjects(path.join(dir, file)));
}

/** The objects of one YAML file (Lists expanded, empty documents skipped). */
export function readYamlObjects(file: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    if (doc.errors.length > 0) {
      throw new Error(`kube-testbed: ${file}: ${doc.errors[0].message}`);
    }
    const value = doc.toJSON();
    if (value === null || value === undefined) {
      continue;
    }
    const items: unknown[] =
      typeof value.kind === 'string' &&
      value.kind.endsWith('List') &&
      Array.isArray(value.items)
        ? value.items
        : [value];
    for (const item of items) {
      const object = item as KubeObject;
      if (!object?.apiVersion || !object?.kind || !object?.metadata?.name) {
        throw new Error(
          `kube-testbed: ${file}: every object needs apiVersion, kind and metadata.name`,
        );
      }
      objects.push(object);
    }
  }
  return objects;
}
