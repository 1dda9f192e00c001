export interface Config {
  /** Configuration of the GitOps promotion plugins. */
  gitopsPromotion?: {
    /**
     * How often the Promotion tab asks the backend for changes, in seconds.
     * Unchanged views cost a 304. Default 10; values below 1 count as 1.
     * @visibility frontend
     */
    refreshIntervalSeconds?: number;
  };
}
