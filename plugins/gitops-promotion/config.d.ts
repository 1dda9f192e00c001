export interface Config {
  /** Configuration of the GitOps promotion plugins. */
  gitopsPromotion?: {
    /**
     * How often the Promotion tab asks the backend for changes, in seconds.
     * Unchanged views cost a 304. Default 10; values below 1 count as 1.
     * Where the app has Backstage signals, changes come by signal and the
     * tab polls every 60 s instead (or this interval, if longer).
     * @visibility frontend
     */
    refreshIntervalSeconds?: number;
  };
}
