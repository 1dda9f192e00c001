import fs from 'node:fs';
import path from 'node:path';
import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { parseKubectlYaml } from '@gitops-promotion/backstage-plugin-common/server';

// The plugin alone, on the repository's app-config (demo fixtures), with the
// demo catalog and no authentication. Try:
//   curl localhost:7007/api/gitops-promotion/v1/entities/default/component/podinfo/promotion
const entities = parseKubectlYaml(
  fs.readFileSync(
    path.resolve(__dirname, '../../../examples/entities.yaml'),
    'utf8',
  ),
) as Entity[];

const backend = createBackend();
backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(catalogServiceMock.factory({ entities }));
backend.add(import('../src'));
backend.start();
