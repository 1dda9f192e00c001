import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the GitOps promotion plugins. */
  gitopsPromotion?: {
    /**
     * Ordered environments: promotion flows down this list (for example
     * sandbox, development, staging, production).
     */
    environments: Array<{
      /** Identifier of the environment, used in URLs and comparisons. */
      name: string;
      /** Shown as the column title; defaults to the name. */
      title?: string;
      /**
       * Cluster names from kubernetes.clusterLocatorMethods (type config) or
       * from the fixtures directory, or a namespace set of a shared cluster.
       */
      clusters: Array<
        | string
        | {
            cluster: string;
            /** Only these namespaces of the cluster belong to the environment. */
            namespaces?: string[];
          }
      >;
    }>;
    /**
     * Clusters read from YAML files instead of a Kubernetes API: one folder
     * per cluster, named after it, holding `kubectl get -o yaml` output.
     * The embedded demo uses it.
     */
    fixtures?: {
      /** Path of the folder of cluster folders, relative to the backend's working directory. */
      directory: string;
    };
    /** Tuning of the per-cluster watch caches. */
    watch?: {
      /** Objects per list page. Default 1000 (an API server serves the first page of a list from its watch cache, the next pages from etcd at several times the cost). */
      pageSize?: number;
      /** Timeout of one list, get or discovery request, of a watch's response headers and of the idle probe, in seconds. Default 15. */
      requestTimeoutSeconds?: number;
      /** First reconnect delay after an error, in seconds. Default 1. */
      initialBackoffSeconds?: number;
      /** Longest reconnect delay, in seconds. Default 60. */
      maxBackoffSeconds?: number;
      /** How often to look again for Flux/KuboCD API groups a cluster did not serve, in seconds. Default 300. */
      discoveryIntervalSeconds?: number;
      /**
       * After this many seconds in which nothing came from a cluster (no
       * watch event, bookmark or list page), it is asked for /version; if
       * that gets no answer within requestTimeoutSeconds, every kind of the
       * cluster is reported TIMEOUT and its data shown as stale. Default 30
       * (a hung API server is reported within 45 s, as client-go's HTTP/2
       * health pings would).
       */
      idleProbeSeconds?: number;
    };
    /**
     * The promotion journal: each change of a workload's running version
     * and state per cluster, kept in the plugin's database (backend.database).
     */
    journal?: {
      /**
       * How long entries are kept; the newest entry of each workload stays.
       * Default 180 days. A duration object (`{ days: 180 }`) or string (`180d`).
       */
      retention?: HumanDuration | string;
    };
    /**
     * Bounds of the calls made to a cluster on demand (drill-down reads,
     * event lists, values comparisons, actions), which all use the
     * backend's one identity.
     */
    onDemand?: {
      /** Calls in flight per cluster, shared by every request. Default 4. */
      concurrency?: number;
      /** Calls waiting per cluster beyond which a request is answered 503. Default 100. */
      maxQueued?: number;
      /** How long an object or its events, read once, answer identical requests (unless the watch saw the object change or an action patched it), in seconds. Default 5; 0 only coalesces requests in flight. */
      cacheSeconds?: number;
    };
  };

  /**
   * The Kubernetes plugin's cluster configuration: clusters of the locator
   * types config and localKubectlProxy, authenticated by its strategies.
   */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      /** config and localKubectlProxy are read; others are skipped with a warning. */
      type: string;
      clusters?: Array<{
        name: string;
        url: string;
        /**
         * serviceAccount (default), aws, azure, googleServiceAccount, or a
         * strategy added with gitopsPromotionAuthStrategyExtensionPoint.
         */
        authProvider?: string;
        /**
         * Without it, serviceAccount sends the backend pod's own token.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /** Role to assume for authProvider aws. */
        assumeRole?: string;
        /** External id to assume the role with, for authProvider aws. */
        externalId?: string;
        /**
         * Given to the auth strategy; overrides the fields above.
         * @visibility secret
         */
        authMetadata?: { [key: string]: string };
        /** @visibility secret */
        caData?: string;
        caFile?: string;
        skipTLSVerify?: boolean;
      }>;
    }>;
    /**
     * Service account key (JSON) for authProvider googleServiceAccount;
     * without it, Google's application default credentials.
     * @visibility secret
     */
    googleServiceAccountCredentials?: string;
  };
}
