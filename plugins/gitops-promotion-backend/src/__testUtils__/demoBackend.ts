import fs from 'node:fs';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { parseKubectlYaml } from '@gitops-promotion/backstage-plugin-common/server';
import { DEMO_CLUSTERS } from './demoObjects';

/** The demo catalog's entities (examples/entities.yaml). */
export function demoEntities(): Entity[] {
  const file = path.resolve(DEMO_CLUSTERS, '../entities.yaml');
  return (
    parseKubectlYaml(fs.readFileSync(file, 'utf8'), file) as Entity[]
  ).filter(e => e.kind === 'Component');
}

/** The demo's environments over the fixture clusters; sandbox-carol is a live cluster nobody listens for. */
export function demoConfig(overrides: JsonObject = {}): JsonObject {
  return {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'sandbox-carol',
              url: 'https://127.0.0.1:1',
              authProvider: 'serviceAccount',
              serviceAccountToken: 'x',
              skipTLSVerify: true,
            },
          ],
        },
      ],
    },
    gitopsPromotion: {
      environments: [
        {
          name: 'sandbox',
          title: 'Sandbox',
          clusters: ['sandbox-alice', 'sandbox-bob', 'sandbox-carol'],
        },
        { name: 'development', title: 'Development', clusters: ['dev-eu'] },
        { name: 'staging', title: 'Staging', clusters: ['staging-eu'] },
        {
          name: 'production',
          title: 'Production',
          clusters: ['prod-eu', 'prod-us'],
        },
      ],
      fixtures: { directory: DEMO_CLUSTERS },
      watch: { initialBackoffSeconds: 0.05, maxBackoffSeconds: 0.2 },
      ...overrides,
    },
  };
}
