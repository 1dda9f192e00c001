import fs from 'node:fs';
import path from 'node:path';
import { parseKubectlYaml } from '@gitops-promotion/backstage-plugin-common/server';
import { KubeObject } from './kubeClient';

/**
 * Reads every *.yaml / *.yml file of a folder (not recursive) as
 * `kubectl get -o yaml` prints it, with the parser the backend's fixture
 * clusters use: the demo and the test clusters read the same files alike.
 */
export function readFixtureObjects(dir: string): KubeObject[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new Error(`kube-testbed: fixture folder ${dir} does not exist`);
  }
  return fs
    .readdirSync(dir)
    .filter(file => /\.ya?ml$/.test(file))
    .sort()
    .flatMap(file => {
      const filePath = path.join(dir, file);
      return parseKubectlYaml(
        fs.readFileSync(filePath, 'utf8'),
        filePath,
      ) as KubeObject[];
    });
}
