import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { act, screen, waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { FakeBackend } from '../../__testUtils__/fakeBackend';
import { renderTab } from '../../__testUtils__/renderTab';
import { entityWith, paymentsScenario } from '../../__testUtils__/scenarios';

// Counts the renders of a matrix cell and of the comparison's columns.
const mockRenders = { cells: 0, columns: 0 };
jest.mock('../PromotionMatrix/EnvironmentCell', () => {
  const actual = jest.requireActual('../PromotionMatrix/EnvironmentCell');
  return {
    ...actual,
    EnvironmentCell: (props: object) => {
      const cell = actual.EnvironmentCell;
      mockRenders.cells++;
      return cell(props);
    },
  };
});
jest.mock('../CompareEnvironments/EnvironmentColumns', () => {
  const actual = jest.requireActual(
    '../CompareEnvironments/EnvironmentColumns',
  );
  return {
    ...actual,
    EnvironmentColumns: (props: object) => {
      const columns = actual.EnvironmentColumns;
      mockRenders.columns++;
      return columns(props);
    },
  };
});

const server = setupServer();
registerMswTestHooks(server);

describe('PromotionTab: rendering', () => {
  const tick = (ms: number) => act(() => jest.advanceTimersByTimeAsync(ms));
  afterEach(() => jest.useRealTimers());

  it('renders the matrix and the comparison again when the view changes, not on every poll answered 304', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const backend = new FakeBackend(paymentsScenario());
    server.use(...backend.handlers());
    const polls = () => backend.requestsTo('/promotion').length;
    renderTab(entityWith(paymentsScenario().annotations), {
      refreshIntervalSeconds: 1,
    });
    await screen.findByRole('group', {
      name: 'Helm values of staging and production',
    });
    const loaded = { ...mockRenders };
    expect(loaded.cells).toBeGreaterThan(0);
    expect(loaded.columns).toBeGreaterThan(0);

    // Polls are chained: the fourth is sent once the 304s of the second and
    // third were applied.
    for (const n of [2, 3, 4]) {
      await tick(1000);
      await waitFor(() => expect(polls()).toBe(n));
    }
    expect(mockRenders).toEqual(loaded);

    const promoted = paymentsScenario();
    promoted.clusters['staging-eu'] = promoted.clusters['dev-eu'];
    backend.update(promoted);
    await tick(1000);
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: /^payments-api in staging:/ }),
      ).toHaveTextContent('2.4.0'),
    );
    expect(mockRenders.cells).toBeGreaterThan(loaded.cells);
    expect(mockRenders.columns).toBeGreaterThan(loaded.columns);
  });
});
