import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import { screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { FakeBackend } from './__testUtils__/fakeBackend';
import { realClient } from './__testUtils__/renderTab';
import { entityWith, podinfoScenario } from './__testUtils__/scenarios';
import { GitopsPromotionClient, gitopsPromotionApiRef } from './api';
import plugin, {
  gitopsPromotionApi,
  gitopsPromotionEntityContent,
} from './plugin';

const server = setupServer();
registerMswTestHooks(server);

describe('new frontend system plugin', () => {
  it('is the gitops-promotion plugin with the API and the entity content', () => {
    expect(plugin.pluginId).toBe('gitops-promotion');
    // The plugin's copies (namespaced) of the extensions it exports.
    expect(plugin.getExtension('api:gitops-promotion')).toMatchObject({
      kind: 'api',
      namespace: 'gitops-promotion',
      factory: (gitopsPromotionApi as any).factory,
    });
    expect(
      plugin.getExtension('entity-content:gitops-promotion'),
    ).toMatchObject({
      kind: 'entity-content',
      namespace: 'gitops-promotion',
      factory: (gitopsPromotionEntityContent as any).factory,
    });
  });

  it('offers the Promotion tab at /promotion only to annotated entities', () => {
    const tester = createExtensionTester(gitopsPromotionEntityContent, {
      // The tab's title is a message of the plugin's translation ref.
      apis: [mockApis.translation()],
    });
    expect(tester.get(coreExtensionData.routePath)).toBe('/promotion');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Promotion');
    // A message of the translation ref: an app can reword the tab's title.
    expect(
      tester.get(EntityContentBlueprint.dataRefs.titleTranslation)?.key,
    ).toBe('extension.tabTitle');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(
      filter(entityWith({ 'gitops-promotion/helm-releases': 'payments-api' })),
    ).toBe(true);
    expect(
      filter(
        entityWith({ 'backstage.io/kubernetes-id': 'notification-service' }),
      ),
    ).toBe(true);
    expect(filter(entityWith({}))).toBe(false);
  });

  it('renders the tab from the extension', async () => {
    const scenario = podinfoScenario();
    server.use(...new FakeBackend(scenario).handlers());
    const tester = createExtensionTester(gitopsPromotionEntityContent, {
      // The tab's title is a message of the plugin's translation ref.
      apis: [mockApis.translation()],
    });
    renderInTestApp(
      <EntityProvider entity={entityWith(scenario.annotations)}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [[gitopsPromotionApiRef, realClient()], mockApis.permission()],
      },
    );
    expect(
      await screen.findByRole('button', {
        name: /^podinfo in Staging: Failed/,
      }),
    ).toBeInTheDocument();
  });

  it('provides the client as the API', () => {
    const factory = createExtensionTester(gitopsPromotionApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api).toBe(gitopsPromotionApiRef);
    expect(
      factory.factory({
        discoveryApi: mockApis.discovery(),
        fetchApi: mockApis.fetch(),
      }),
    ).toBeInstanceOf(GitopsPromotionClient);
  });
});
