export interface Config {
  /** Configuration of the GitOps promotion plugins. */
  gitopsPromotion?: {
    /**
     * How often the Promotion tab asks the backend for changes, in seconds.
     * Unchanged views cost a 304. Default 10.
     * @visibility frontend
     */
    refreshIntervalSeconds?: number;
  };
}
