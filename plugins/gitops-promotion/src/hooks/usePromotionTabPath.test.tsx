import { PageBlueprint } from '@backstage/frontend-plugin-api';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { renderInTestApp as renderInLegacyApp } from '@backstage/test-utils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { screen } from '@testing-library/react';
import plugin from '../plugin';
import { usePromotionTabPath } from './usePromotionTabPath';

function TabPath() {
  return <span data-testid="path">{usePromotionTabPath()}</span>;
}

/** An app of the new frontend system with the catalog's entity page, the plugin, and a page that shows the hook's answer. */
function renderApp(extensions: object[] = []) {
  renderTestApp({
    features: [catalogPlugin, plugin],
    extensions: [
      PageBlueprint.make({
        name: 'tab-path',
        params: { path: '/tab-path', loader: async () => <TabPath /> },
      }),
    ],
    initialRouteEntries: ['/tab-path'],
    config: { app: { extensions } },
  });
}

describe('usePromotionTabPath', () => {
  it("follows the path an app gives the tab's extension", async () => {
    renderApp([
      { 'entity-content:gitops-promotion': { config: { path: 'deploy/' } } },
    ]);
    expect(await screen.findByTestId('path')).toHaveTextContent(/^\/deploy$/);
  });

  it('is /promotion where the app leaves it', async () => {
    renderApp();
    expect(await screen.findByTestId('path')).toHaveTextContent(
      /^\/promotion$/,
    );
  });

  it('is /promotion in legacy apps, where the README mounts it', async () => {
    await renderInLegacyApp(<TabPath />);
    expect(await screen.findByTestId('path')).toHaveTextContent(
      /^\/promotion$/,
    );
  });
});
