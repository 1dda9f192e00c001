import { ConfigApi } from '@backstage/frontend-plugin-api';
import { readDurationMs } from '@gitops-promotion/backstage-plugin-common';

const DEFAULT_REFRESH_MS = 10_000;
// Zero or less would poll back to back.
const MIN_REFRESH_MS = 1_000;

/**
 * How often views poll: `gitopsPromotion.refreshInterval` (default 10 s, at
 * least 1 s). Read once per config: the deprecated key's warning is given once.
 */
export function readRefreshIntervalMs(configApi: ConfigApi): number {
  return Math.max(
    MIN_REFRESH_MS,
    readDurationMs(configApi.getOptionalConfig('gitopsPromotion'), {
      path: 'gitopsPromotion',
      key: 'refreshInterval',
      defaultMs: DEFAULT_REFRESH_MS,
      allowZero: true,
      // The browser console is the frontend's log.
      // eslint-disable-next-line no-console
      warn: message => console.warn(message),
    }),
  );
}
