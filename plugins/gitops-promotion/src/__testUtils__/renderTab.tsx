import { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { JsonObject } from '@backstage/types';
import { act } from '@testing-library/react';
import { GitopsPromotionClient, gitopsPromotionApiRef } from '../api';
import { PromotionTab } from '../components/PromotionTab';

/** The real client, through a fetch that msw answers. */
export function realClient() {
  return new GitopsPromotionClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: mockApis.fetch(),
  });
}

/** A signals API the test sends messages through, as the signals plugin would. */
export function fakeSignals() {
  const subscribers = new Map<string, Set<(message: JsonObject) => void>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const set = subscribers.get(channel) ?? new Set();
      const listener = onMessage as (message: JsonObject) => void;
      set.add(listener);
      subscribers.set(channel, set);
      return { unsubscribe: () => set.delete(listener) };
    },
  };
  return {
    api,
    send(channel: string, message: JsonObject) {
      act(() => subscribers.get(channel)?.forEach(s => s(message)));
    },
    subscribed: (channel: string) => subscribers.get(channel)?.size ?? 0,
  };
}

/**
 * The Promotion tab of an entity in a test app, talking to the backend
 * through the real client (which also says what the user may do). Polling
 * is slow unless asked for.
 */
export function renderTab(
  entity: Entity,
  options: {
    refreshIntervalSeconds?: number;
    signals?: SignalApi;
  } = {},
) {
  renderInTestApp(
    <EntityProvider entity={entity}>
      <PromotionTab />
    </EntityProvider>,
    {
      apis: [
        [gitopsPromotionApiRef, realClient()],
        ...(options.signals ? [[signalApiRef, options.signals] as const] : []),
      ],
      config: {
        gitopsPromotion: {
          refreshIntervalSeconds: options.refreshIntervalSeconds ?? 3600,
        },
      },
    },
  );
}
