import {
  createFrontendModule,
  createTranslationMessages,
} from '@backstage/frontend-plugin-api';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { TranslationBlueprint } from '@backstage/plugin-app-react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { FakeBackend } from './__testUtils__/fakeBackend';
import { renderTab } from './__testUtils__/renderTab';
import { entityWith, paymentsScenario } from './__testUtils__/scenarios';
import { gitopsPromotionTranslationRef } from './translation';

const server = setupServer();
registerMswTestHooks(server);

/** What an app adds to reword the tab: messages for the plugin's ref. */
const appMessages = createFrontendModule({
  pluginId: 'app',
  extensions: [
    TranslationBlueprint.make({
      name: 'gitops-promotion-wording',
      params: {
        resource: createTranslationMessages({
          ref: gitopsPromotionTranslationRef,
          messages: {
            'state.Ready': 'Healthy',
            'matrix.label': 'Deployments by stage',
            'tab.updated': 'Checked {{age}} back',
            'age.seconds': '{{value, number}} sec',
            'cell.summary': '{{environment}} runs {{workload}}: {{state}}',
            'fact.chart': 'Helm chart',
            'compare.values.summary_one':
              '-{{count}} line ({{left}}) / +{{added, number}} ({{right}})',
          },
        }),
      },
    }),
  ],
});

describe('gitopsPromotionTranslationRef', () => {
  it("shows an app's messages in place of the defaults, the others unchanged", async () => {
    const scenario = paymentsScenario();
    server.use(...new FakeBackend(scenario).handlers());
    renderTab(entityWith(scenario.annotations), { features: [appMessages] });

    const matrix = await screen.findByRole('table', {
      name: 'Deployments by stage',
    });
    const staging = within(matrix).getByRole('button', {
      name: /^staging runs payments-api: Healthy for/,
    });
    expect(staging).toHaveTextContent('2.3.0Healthy');
    // Interpolated elements (the age) and numbers are formatted in place.
    expect(screen.getByText(/^Checked/)).toHaveTextContent(
      /^Checked \d+ sec back$/,
    );
    expect(
      await screen.findByText('-1 line (staging) / +1 (production)'),
    ).toBeInTheDocument();
    // A message the app leaves alone keeps its default.
    expect(screen.getByLabelText('First environment')).toHaveValue('staging');
    await userEvent.click(staging);
    const drawer = await screen.findByRole('dialog', {
      name: 'payments-api in staging',
    });
    // The facts the backend names by key: reworded, or in English.
    const terms = within(drawer)
      .getAllByRole('term')
      .map(d => d.textContent);
    expect(terms).toContain('Helm chart');
    expect(terms).not.toContain('Chart');
    expect(terms).toContain('URL');
  });
});
