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
       * Failures here matter most: a workload whose HelmRelease would leave a
       * failed upgrade failed (no upgrade remediation) is marked in its cell.
       * Default: true for the last two environments.
       */
      important?: boolean;
      /**
       * What the owners of the workloads here are told through Backstage's
       * notifications (topic `gitops-promotion:<name>`): `failures`,
       * `changes` (failures and each new version that reaches it) or
       * `none`. Default: `none` for the first environment (sandboxes),
       * `failures` for the others.
       */
      notify?: 'failures' | 'changes' | 'none';
      /**
       * The severity of this environment's failure notifications. Default:
       * `high` for the last environment, `normal` for the other important
       * ones, `low` for the rest.
       */
      severity?: 'critical' | 'high' | 'normal' | 'low';
      /**
       * Cluster names from kubernetes.clusterLocatorMethods (type config, or
       * catalog: Resources of spec.type kubernetes-cluster) or from the
       * fixtures directory, or a namespace set of a shared cluster.
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
    /**
     * Clusters from the catalog: with a `kubernetes.clusterLocatorMethods`
     * entry of type `catalog`, the environments may name Resources of
     * spec.type kubernetes-cluster (by metadata.name), read with that
     * locator's guards (dangerouslyAllowClusterUrls,
     * dangerouslyAllowSkipTLSVerify; no serviceAccount auth).
     */
    catalogClusters?: {
      /** How often the catalog is read again for added, changed or removed clusters. Default 1 min. */
      refreshInterval?: HumanDuration | string;
    };
    /**
     * Tuning of the per-cluster watch caches. Durations are Backstage
     * HumanDurations: `{ seconds: 15 }`, `'15s'` or `'PT15S'`.
     */
    watch?: {
      /** Objects per list page. Default 1000 (an API server serves the first page of a list from its watch cache, the next pages from etcd at several times the cost). */
      pageSize?: number;
      /** Timeout of one list, get or discovery request, of a watch's response headers and of the idle probe. Default 15 s. */
      requestTimeout?: HumanDuration | string;
      /** First reconnect delay after an error. Default 1 s. */
      initialBackoff?: HumanDuration | string;
      /** Longest reconnect delay. Default 60 s. */
      maxBackoff?: HumanDuration | string;
      /** How often to look again for Flux/KuboCD API groups a cluster did not serve. Default 5 min. */
      discoveryInterval?: HumanDuration | string;
      /**
       * After this long with nothing from a cluster (no watch event,
       * bookmark or list page), it is asked for /version; if that gets no
       * answer within requestTimeout, every kind of the cluster is reported
       * TIMEOUT and its data shown as stale. Default 30 s (a hung API server
       * is reported within 45 s, as client-go's HTTP/2 health pings would).
       */
      idleProbe?: HumanDuration | string;
      /** @deprecated Use requestTimeout; read for one more release. */
      requestTimeoutSeconds?: number;
      /** @deprecated Use initialBackoff; read for one more release. */
      initialBackoffSeconds?: number;
      /** @deprecated Use maxBackoff; read for one more release. */
      maxBackoffSeconds?: number;
      /** @deprecated Use discoveryInterval; read for one more release. */
      discoveryIntervalSeconds?: number;
      /** @deprecated Use idleProbe; read for one more release. */
      idleProbeSeconds?: number;
    };
    /**
     * The promotion journal: each change of a workload's running version
     * and state per cluster, kept in the plugin's database (backend.database).
     */
    journal?: {
      /**
       * How long entries are kept; the newest entry of each workload stays
       * while the workload exists in its cluster.
       * Default 180 days. A duration object (`{ days: 180 }`) or string (`180d`).
       */
      retention?: HumanDuration | string;
    };
    /**
     * Notifications to the owners of the entities whose workloads fail
     * (see each environment's `notify`), through the notifications backend.
     */
    notifications?: {
      /** False sends none (a portal without the notifications backend). Default true. */
      enabled?: boolean;
      /**
       * How long a failure lasts before it is told, and a recovery before
       * the notification says so. Default 2 minutes (Helm reports a failed
       * rollout only after its timeout).
       */
      delay?: HumanDuration | string;
      /**
       * The least time between two notifications of one workload in one
       * environment that call for attention (a failure, a new version): a
       * flapping workload is told once per interval. Default 30 minutes.
       */
      minInterval?: HumanDuration | string;
      /**
       * Where the Promotion tab is under an entity's page, for the links of
       * notifications: set it when the app mounts the tab at another path.
       * Default `promotion`.
       */
      tabPath?: string;
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
      /** How long an object or its events, read once, answer identical requests (unless the watch saw the object change or an action patched it). Default 5 s; 0 only coalesces requests in flight. */
      cache?: HumanDuration | string;
      /** @deprecated Use cache; read for one more release. */
      cacheSeconds?: number;
    };
  };
}
