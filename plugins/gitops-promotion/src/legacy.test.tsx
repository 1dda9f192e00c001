import { coreApis } from '@backstage/frontend-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { FakeBackend } from './__testUtils__/fakeBackend';
import { realClient } from './__testUtils__/renderTab';
import { entityWith, podinfoScenario } from './__testUtils__/scenarios';
import { gitopsPromotionApiRef, GitopsPromotionClient } from './api';
import {
  EntityGitopsPromotionContent,
  gitopsPromotionPlugin,
  isGitopsPromotionAvailable,
} from '.';

const server = setupServer();
registerMswTestHooks(server);

describe('legacy frontend system exports', () => {
  it.each([
    ['gitops-promotion/kubocd-releases', 'apps/podinfo', true],
    ['gitops-promotion/helm-releases', 'payments/payments-api', true],
    ['gitops-promotion/kustomizations', 'flux-system/inventory', true],
    ['gitops-promotion/label-selector', 'app.kubernetes.io/name=ledger', true],
    ['backstage.io/kubernetes-id', 'notification-service', true],
    ['gitops-promotion/kubocd-releases', '  ', false],
    ['backstage.io/techdocs-ref', 'dir:.', false],
  ])('isGitopsPromotionAvailable with %s: %s is %s', (key, value, expected) => {
    expect(isGitopsPromotionAvailable(entityWith({ [key]: value }))).toBe(
      expected,
    );
  });

  it('registers the client for the API', () => {
    const factory = [...gitopsPromotionPlugin.getApis()].find(
      f => f.api.id === gitopsPromotionApiRef.id,
    )!;
    expect(
      factory.factory({
        discoveryApi: mockApis.discovery(),
        fetchApi: { fetch },
      }),
    ).toBeInstanceOf(GitopsPromotionClient);
  });

  it('renders EntityGitopsPromotionContent on an entity page', async () => {
    const scenario = podinfoScenario();
    server.use(...new FakeBackend(scenario).handlers());
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [gitopsPromotionApiRef, realClient()],
          [permissionApiRef, mockApis.permission()],
          [coreApis.config, mockApis.config()],
        ]}
      >
        <EntityProvider entity={entityWith(scenario.annotations)}>
          <EntityGitopsPromotionContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByRole('button', {
        name: /^podinfo in Staging: Failed/,
      }),
    ).toBeInTheDocument();
  });
});
