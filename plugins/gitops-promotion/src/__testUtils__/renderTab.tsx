import { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { JsonObject } from '@backstage/types';
import { FrontendFeature } from '@backstage/frontend-plugin-api';
import { gitopsPromotionViewPermission } from '@gitops-promotion/backstage-plugin-common';
import { act } from '@testing-library/react';
import { GitopsPromotionClient, gitopsPromotionApiRef } from '../api';
import { PromotionTab } from '../components/PromotionTab';

type PermissionOptions = NonNullable<Parameters<typeof mockApis.permission>[0]>;
type Decision = Exclude<PermissionOptions['authorize'], Function | undefined>;
const ALLOW = 'ALLOW' as Decision;
const DENY = 'DENY' as Decision;

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
 * is slow unless asked for. Returns a spy on the permission checks.
 */
export function renderTab(
  entity: Entity,
  options: {
    /** Whether the policy grants gitops-promotion.view (default: yes); an Error fails the check. */
    canView?: boolean | Error;
    /** `gitopsPromotion` config of the app (default: polls hourly). */
    config?: { refreshInterval?: string; refreshIntervalSeconds?: number };
    signals?: SignalApi;
    features?: FrontendFeature[];
    /** The tab's URL, e.g. with a cell's drill-down open. */
    path?: string;
    /** Wraps the tab, e.g. in a React Profiler. */
    wrap?: (tab: JSX.Element) => JSX.Element;
  } = {},
) {
  // The tab asks the permission framework only for the view; what the
  // user may do to an object, the backend says.
  const permissionApi = mockApis.permission({
    authorize: request => {
      if (options.canView instanceof Error) throw options.canView;
      return request.permission.name === gitopsPromotionViewPermission.name &&
        (options.canView ?? true)
        ? ALLOW
        : DENY;
    },
  });
  const authorize = jest.spyOn(permissionApi, 'authorize');
  const tab = (
    <EntityProvider entity={entity}>
      <PromotionTab />
    </EntityProvider>
  );
  renderInTestApp(options.wrap ? options.wrap(tab) : tab, {
    apis: [
      [gitopsPromotionApiRef, realClient()],
      permissionApi,
      ...(options.signals ? [[signalApiRef, options.signals] as const] : []),
    ],
    config: {
      gitopsPromotion: options.config ?? { refreshInterval: '1h' },
    },
    features: options.features,
    ...(options.path ? { initialRouteEntries: [options.path] } : {}),
  });
  return { authorize };
}
