import { KubeObject } from '@gitops-promotion/backstage-plugin-common';
import { parseKubectlYaml } from '@gitops-promotion/backstage-plugin-common/server';
import fs from 'node:fs';
import path from 'node:path';

const DIR = path.join(
  path.dirname(
    require.resolve('@gitops-promotion/backstage-plugin-common/package.json'),
  ),
  'src/__fixtures__/real-flux',
);

/**
 * The objects real Flux controllers wrote, captured by
 * scripts/flux/capture-fixtures.sh: of one scenario, or of all of them.
 */
export function realFluxObjects(scenario?: string): KubeObject[] {
  const files = scenario ? [`${scenario}.yaml`] : fs.readdirSync(DIR);
  return files.flatMap(
    file =>
      parseKubectlYaml(
        fs.readFileSync(path.join(DIR, file), 'utf8'),
        file,
      ) as KubeObject[],
  );
}
