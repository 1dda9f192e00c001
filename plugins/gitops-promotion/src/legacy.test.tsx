import { coreApis } from '@backstage/frontend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  BASE_URL,
  buildOverview,
  FakeBackend,
} from './__testUtils__/fakeBackend';
import { realClient } from './__testUtils__/renderTab';
import { entityWith, podinfoScenario } from './__testUtils__/scenarios';
import { gitopsPromotionApiRef, GitopsPromotionClient } from './api';
import {
  EntityGitopsPromotionContent,
  EntityGitopsPromotionOverviewContent,
  gitopsPromotionPlugin,
  isGitopsPromotionAvailable,
  isPromotionOverviewAvailable,
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

  it.each(['System', 'Group'])(
    'isGitopsPromotionAvailable is false for a %s with annotations: its Promotion content is the overview',
    kind => {
      const entity = entityWith({
        'backstage.io/kubernetes-id': 'notification-service',
      });
      expect(isGitopsPromotionAvailable({ ...entity, kind })).toBe(false);
      expect(isPromotionOverviewAvailable({ ...entity, kind })).toBe(true);
    },
  );

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

  it("renders EntityGitopsPromotionOverviewContent on a System page, linking to each component's tab", async () => {
    const scenario = podinfoScenario();
    const podinfo = entityWith(scenario.annotations, 'podinfo');
    server.use(
      http.get(`${BASE_URL}/v1/entities/default/system/commerce/overview`, () =>
        HttpResponse.json(buildOverview([{ entity: podinfo, scenario }])),
      ),
    );
    const system: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'commerce', namespace: 'default' },
      spec: { owner: 'team-platform' },
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [gitopsPromotionApiRef, realClient()],
          [coreApis.config, mockApis.config()],
        ]}
      >
        <EntityProvider entity={system}>
          <EntityGitopsPromotionOverviewContent />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByRole('link', { name: 'podinfo' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/podinfo/promotion?workload=Release%2Fpodinfo&environment=staging',
    );
  });
});
