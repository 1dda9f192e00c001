import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the GitOps promotion plugins. */
  gitopsPromotion?: {
    /**
     * How often the Promotion tab asks the backend for changes, as a
     * HumanDuration (`{ seconds: 10 }`, `'10s'`, `'PT10S'`). Unchanged
     * views cost a 304. Default 10 s; less than 1 s counts as 1 s. Where
     * the app has Backstage signals, changes come by signal and the tab
     * polls every 60 s instead (or this interval, if longer).
     * @visibility frontend
     * @deepVisibility frontend
     */
    refreshInterval?: HumanDuration | string;
    /**
     * @deprecated Use refreshInterval; read for one more release.
     * @visibility frontend
     */
    refreshIntervalSeconds?: number;
  };
}
