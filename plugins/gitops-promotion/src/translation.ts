import {
  createTranslationRef,
  TranslationFunction,
} from '@backstage/frontend-plugin-api';
import { FACT_LABELS } from '@gitops-promotion/backstage-plugin-common';

/**
 * Every text the Promotion tab shows, so an app can translate or reword
 * them: `createTranslationMessages` with this ref, in a `TranslationBlueprint`
 * (new frontend system) or `__experimentalTranslations` (legacy).
 * Texts that come from the backend (root causes, condition messages, kubectl
 * commands, cluster error details) are shown as they come.
 * @public
 */
export const gitopsPromotionTranslationRef = createTranslationRef({
  id: 'gitops-promotion',
  messages: {
    state: {
      Ready: 'Ready',
      Progressing: 'Progressing',
      Failed: 'Failed',
      Suspended: 'Suspended',
      Unknown: 'Unknown',
      NotDeployed: 'Not deployed',
    },
    kind: {
      Release: 'KuboCD Release',
      HelmRelease: 'Flux HelmRelease',
      Kustomization: 'Flux Kustomization',
    },
    workloadOfKind: '{{name}} ({{kind}})',
    category: {
      network: 'Cannot reach the source',
      authentication: 'Credentials rejected',
      configuration: 'Configuration fails in this environment',
      dependency: 'Waiting for a dependency',
      suspended: 'Suspended',
      missing: 'Object missing',
      'in-progress': 'Still reconciling',
      unknown: 'Cause unknown',
    },
    age: {
      seconds: '{{value, number}}s',
      minutes: '{{value, number}}m',
      hours: '{{value, number}}h',
      days: '{{value, number}}d',
      for: 'for {{age}}',
      ago: '{{age}} ago',
      at: '{{date, datetime}}',
    },
    clusterError: {
      unreachable: 'cannot reach the API server',
      unauthorized: 'credentials rejected (401)',
      forbidden: 'not allowed to read {{kind}} (403)',
      forbiddenAll: 'not allowed to read Flux objects (403)',
      notInstalled: '{{kind}} CRD not installed',
      notInstalledAll: 'Flux CRD not installed',
      versionNotServed: 'API version of {{kind}} not served',
      versionNotServedAll: 'API version not served',
      betaInstead: '{{problem}}: a beta version is used instead',
      timeout: 'the API server did not answer in time',
    },
    selector: {
      named: '{{kind}} {{namespace}}/{{name}}',
      namedAnyNamespace: '{{kind}} {{name}} (any namespace)',
      labelled:
        'Releases, HelmReleases and Kustomizations labelled {{selector}}',
      labelledInNamespace:
        'Releases, HelmReleases and Kustomizations labelled {{selector}} in namespace {{namespace}}',
      from: '{{selector}}, from {{annotation}}',
    },
    extension: {
      tabTitle: 'Promotion',
      pageTitle: 'GitOps Promotion',
    },
    tab: {
      loadFailed: 'Could not load where this entity runs: {{error}}',
      refreshFailed:
        'Could not refresh ({{error}}): showing the last data received.',
      updated: 'Updated {{age}} ago',
      refresh: 'Refresh',
      cellNotInView:
        "{{workload}} in {{environment}} is not in this view: it was removed from the environment's clusters, this entity's annotations no longer select it, or its clusters have not answered yet.",
    },
    viewDenied: {
      title: 'You are not allowed to see where this entity runs',
      message:
        "Your permission policy does not grant gitops-promotion.view on {{entityRef}}. Ask the entity's owners or your Backstage administrators for access.",
      checkFailed:
        'Could not ask the permission framework whether you may see where this entity runs; reload the page, and if it persists ask your Backstage administrators to check the permission backend',
    },
    nothingFound: {
      title: 'No workload found for this entity',
      description:
        'The annotations select no KuboCD Release, Flux HelmRelease or Kustomization in the clusters of the environments.',
      searchedFor: 'Searched for',
      searchedIn: 'In',
      environment: '{{environment}}: {{clusters}}',
      clusterNamespaces: '{{cluster}} (namespaces {{namespaces}})',
      clusterNotRead: '{{cluster}} (not read)',
      descriptionPartlyRead:
        'The annotations select no KuboCD Release, Flux HelmRelease or Kustomization in the clusters of the environments. Not searched: {{clusters, list}}, which could not be read (see the errors above); a workload there shows once they answer.',
      noneReadTitle: 'No cluster of the environments could be read',
      noneReadDescription:
        'Whether the annotations select a workload is not known yet: none of the clusters has answered. The errors above say why each cannot be read and what to do.',
    },
    annotationProblem: {
      title: 'Annotation {{annotation}} cannot be used',
      value: 'Value {{value}}: {{message}}',
    },
    clusterErrors: {
      label: 'Cluster errors',
      title: '{{cluster}}: {{problem}}',
      sinceWithData: 'Since {{since}} ago · data shown is from {{synced}} ago',
      sinceNoData: 'Since {{since}} ago · no data yet',
    },
    matrix: {
      label: 'Versions and states per environment',
      workload: 'Workload',
      clusters: '{{clusters, list}}',
    },
    cell: {
      summary: '{{workload}} in {{environment}}: {{state}}',
      stateFor: '{{state}} for {{age}}',
      version: 'version {{version}}',
      rollingOut: 'rolling out {{versions, list}}',
      ready: '{{ready, number}}/{{total, number}} ready',
      notIn: 'not in {{clusters, list}}',
      // The last item of a list of a few clusters: "a, b, c, and 45 more".
      moreClusters_one: '{{count, number}} more',
      moreClusters_other: '{{count, number}} more',
      mixedVersions: 'mixed versions ({{versions}})',
      staleFrom: 'stale data from {{clusters, list}}',
      noDataFrom: 'no data from {{clusters, list}}',
      stale: 'stale data: {{clusters, list}}',
      noData: 'no data: {{clusters, list}}',
      noRemediation:
        'no upgrade remediation ({{helmReleases, list}}): add upgrade.remediation.retries',
      staleCount_one: 'stale data from {{count, number}} cluster',
      staleCount_other: 'stale data from {{count, number}} clusters',
      needALook_one: '{{count, number}} cluster needs a look',
      needALook_other: '{{count, number}} clusters need a look',
    },
    mixedVersions: {
      label: 'mixed versions',
      clusters: '{{clusters, list}}: {{version}}',
      noVersion: 'no version',
    },
    marker: {
      behind_one: 'pending promotion · behind by {{count}}',
      behind_other: 'pending promotion · behind by {{count}}',
      ahead: 'ahead',
      valuesDiffer: 'same version, different values',
      differs: 'different revision',
      sameAs: 'same as {{environment}}',
      versions: '{{from}} runs {{fromVersion}}, {{to}} runs {{toVersion}}',
      unknownVersion: '?',
    },
    drawer: {
      title: '{{workload}} in {{environment}}',
      close: 'Close',
      notDeployedIn: 'Not deployed in {{clusters, list}}.',
      noDataFrom_one:
        'No data from {{clusters, list}}: the cluster has not answered yet, so the state there is unknown.',
      noDataFrom_other:
        'No data from {{clusters, list}}: these clusters have not answered yet, so the state there is unknown.',
      loadFailed: 'The clusters of this cell could not be loaded: {{error}}',
      refreshFailed:
        'Could not refresh the clusters of this cell ({{error}}): showing the last data received.',
      needALook_one: 'Needs a look in {{count, number}} more cluster',
      needALook_other: 'Needs a look in {{count, number}} more clusters',
      needALookHint:
        'The worst are shown in full above. Select a cluster to see its chain.',
      notAnsweredFor: 'no answer for {{age}}',
      readyClusters_one: 'Ready in {{count, number}} more cluster',
      readyClusters_other: 'Ready in {{count, number}} more clusters',
      readyClustersHint: 'Select a cluster to see its chain.',
      readyCluster: '{{cluster}} · {{version}}',
      clusterRefreshFailed:
        'Could not refresh {{cluster}} ({{error}}): showing the last data received.',
      clusterGone: '{{cluster}} no longer runs this workload.',
    },
    cluster: {
      noVersionYet: 'no version yet',
      namespace: 'namespace {{namespace}}',
      namespaceAndPhase: 'namespace {{namespace}} · KuboCD phase {{phase}}',
      stale:
        '{{cluster}} has stopped answering: this is the last data read from it.',
      staleFor: 'No answer for {{age}}.',
      chain: 'Chain',
    },
    link: {
      role: {
        workload: 'workload',
        source: 'source',
        chart: 'chart',
        helmRelease: 'Helm release',
      },
      rootCause: 'root cause',
      since: 'since {{age}} ago',
      notFound: 'not found in cluster {{cluster}}',
      notOwned:
        'an object of this name exists in cluster {{cluster}}, but the Release does not own it: not its child, so neither shown nor acted on here',
      outOfBounds:
        'outside this environment’s namespaces: only its state is shown here, not its conditions, events or spec',
    },
    remediation: {
      upgrade: 'Failed upgrade',
      install: 'Failed install',
      failures: 'Failures',
      failureCounts:
        'install {{install, number}}, upgrade {{upgrade, number}} (reset by a success)',
      retry: 'retried every {{interval}}, never rolled back (RetryOnFailure)',
      none: 'left failed until the object or its chart changes (no remediation)',
      remediate_one: '{{strategy}} and {{count}} retry',
      remediate_other: '{{strategy}} and {{count}} retries',
      unlimited: '{{strategy}} and retries without limit',
      remediateLastLeft_one:
        '{{strategy}} and {{count}} retry; the last failure is left in place',
      remediateLastLeft_other:
        '{{strategy}} and {{count}} retries; the last failure is left in place',
      unlimitedLastLeft:
        '{{strategy}} and retries without limit; the last failure is left in place',
      strategy: {
        rollback: 'rollback',
        uninstall: 'uninstall',
      },
      cell: 'no upgrade remediation: add upgrade.remediation.retries',
      advice:
        '{{environment}} is an important environment, and a failed upgrade of {{helmReleases, list}} would stay failed. Add upgrade.remediation.retries (for example 3) to its spec: helm-controller then rolls a failed upgrade back and tries again.',
    },
    // The facts' English names, as the API gives them.
    fact: FACT_LABELS,
    conditions: {
      label: 'Conditions of {{name}}',
      type: 'Type',
      status: 'Status',
      reason: 'Reason',
      message: 'Message',
      changed: 'Changed',
    },
    events: {
      show: 'Show events',
      hide: 'Hide events',
      loadFailed: 'Could not load events: {{error}}',
      readFailed: 'Events could not be read: {{error}}',
      none: 'No recent events.',
      label: 'Events of {{name}}',
      type: 'Type',
      reason: 'Reason',
      message: 'Message',
      count: 'Count',
      lastSeen: 'Last seen',
    },
    retry: {
      retrying: 'Flux is still retrying',
      stalled:
        'Flux gave up (Stalled): it tries again once the object or its source changes',
      cellRetrying: 'Flux retrying',
      cellStalled: 'Flux gave up (Stalled)',
    },
    history: {
      show: 'Show history',
      hide: 'Hide history',
      loadFailed: 'Could not load the history: {{error}}',
      none: 'No history recorded yet (the controller writes it after its first reconcile).',
      label: 'History of {{name}}',
      helmRevision: 'Helm revision',
      chart: 'Chart',
      revision: 'Revision',
      status: 'Status',
      firstDeployed: 'First deployed',
      firstApplied: 'First applied',
      lastDeployed: 'Last deployed',
      lastReconciled: 'Last reconciled',
      reconciliations: 'Reconciliations',
    },
    rootCause: {
      retry: '{{retry}}.',
      phase: 'KuboCD phase {{phase}}',
      lookFurther: 'Look further',
      copyCommand: 'Copy command',
    },
    actions: {
      label: 'Actions on {{object}} in {{cluster}}',
      reconcile: 'Reconcile',
      reconcileOther: 'Reconcile {{kind}} {{name}}',
      suspend: 'Suspend',
      resume: 'Resume',
      notOffered: '{{actions, list}} not offered: {{reason}}.',
      confirmSuspend: {
        title: 'Suspend {{object}} in {{cluster}}?',
        body: 'Flux stops reconciling it until someone resumes it: changes from Git are not applied, and failures are not retried.',
        cancel: 'Cancel',
      },
      decisionsFailed: 'Could not tell which actions you may take: {{error}}',
      done: {
        reconcile:
          'Requested a reconcile of {{object}} in cluster {{cluster}}.',
        suspend: 'Suspended {{object}} in cluster {{cluster}}.',
        resume: 'Resumed {{object}} in cluster {{cluster}}.',
      },
      failed: {
        reconcile: 'Could not reconcile {{object}} in {{cluster}}: {{error}}',
        suspend: 'Could not suspend {{object}} in {{cluster}}: {{error}}',
        resume: 'Could not resume {{object}} in {{cluster}}: {{error}}',
      },
    },
    compare: {
      title: 'Compare environments',
      workload: 'Workload',
      firstEnvironment: 'First environment',
      secondEnvironment: 'Second environment',
      clusterRead: 'Cluster read for {{environment}}',
      clusterInNamespace: '{{cluster}}, namespace {{namespace}}',
      loadFailed:
        'The clusters of these environments could not be loaded: {{error}}',
      refreshFailed:
        'Could not refresh the comparison ({{error}}): showing the last data received.',
      helmValues: 'Helm values',
      noHelmValues:
        'A Kustomization has no Helm values: compare the revisions above.',
      columns: {
        label: 'Environments side by side',
        readFrom: 'read from {{cluster}}, namespace {{namespace}}',
        state: 'State',
        version: 'Version',
        revision: 'Revision',
        configDigest: 'Config digest',
        allClusters: 'All clusters of the environment',
        cluster: '{{cluster}}: {{version}} ({{state}})',
        notDeployed: '{{cluster}}: not deployed',
        noData: '{{cluster}}: no data',
      },
      values: {
        notDeployedIn: 'Not deployed in {{environment}}: no values to compare.',
        notDeployedInBoth:
          'Not deployed in {{first}} and {{second}}: no values to compare.',
        loadFailed: 'Could not load the values: {{error}}',
        same: 'The Helm values are the same in {{left}} and {{right}}.',
        summary_one:
          '{{count}} line only in {{left}} (-), {{added, number}} only in {{right}} (+).',
        summary_other:
          '{{count}} lines only in {{left}} (-), {{added, number}} only in {{right}} (+).',
        label: 'Helm values of {{left}} and {{right}}',
        skipped_one: '{{count}} unchanged line',
        skipped_other: '{{count}} unchanged lines',
        onlyIn: 'only in {{environment}}: ',
        hidden:
          'Values are shown only with the permission {{permission}} on {{entity}}; the keys that differ are listed instead.',
        keysDiffer_one: '{{count}} key differs between {{left}} and {{right}}:',
        keysDiffer_other:
          '{{count}} keys differ between {{left}} and {{right}}:',
        keysLabel: 'Keys that differ',
        redactedDiffer: 'Redacted values (credentials) that differ:',
        redactedLabel: 'Redacted values that differ',
        tooManyLines:
          'The values differ in too many lines to show a line diff; the keys that differ are listed below.',
        moreLines_one: '{{count, number}} more line of the diff not shown.',
        moreLines_other: '{{count, number}} more lines of the diff not shown.',
        moreKeys_one: '{{count, number}} more key not listed.',
        moreKeys_other: '{{count, number}} more keys not listed.',
      },
    },
    common: {
      retry: 'Try again',
    },
    promotionHistory: {
      title: 'Promotion history',
      show: 'Show history',
      hide: 'Hide history',
      loadFailed: 'Could not load the history: {{error}}',
      refreshFailed:
        'Could not refresh the history ({{error}}): showing the last entries received.',
      empty:
        'No changes recorded yet: the journal records each change of version and state from now on.',
      truncated: 'Older entries are not shown.',
      tableLabel: 'Versions of {{workload}} per environment',
      version: 'Version',
      leadTime: 'Lead time',
      leadTimeValue: '{{duration}} to {{environment}}',
      reached: 'reached {{date, datetime}}',
      reachedBefore: 'here before {{date, datetime}}',
      notReached: 'not reached',
      running: 'running',
      stayed: 'ran {{duration}}',
      stayedAtLeast: 'ran at least {{duration}}',
      failedAttempts_one: '{{count}} failed attempt',
      failedAttempts_other: '{{count}} failed attempts',
      clusters_one: 'in {{count}} cluster',
      clusters_other: 'in {{count}} clusters',
      clusterReached: '{{cluster}}: {{date, datetime}}',
      clusterReachedBefore: '{{cluster}}: before {{date, datetime}}',
      failuresTitle: 'Failures per environment',
      failures_one: '{{environment}}: {{count}} failure',
      failures_other: '{{environment}}: {{count}} failures',
      noFailures: '{{environment}}: no failures',
      failuresRestored_one:
        '{{environment}}: {{count}} failure, mean time to restore {{duration}}',
      failuresRestored_other:
        '{{environment}}: {{count}} failures, mean time to restore {{duration}}',
      failureRestored:
        '{{cluster}} failed {{date, datetime}}: restored after {{duration}}',
      failureStill: '{{cluster}} failed {{date, datetime}}: still failing',
      failureRestoredWhy:
        '{{cluster}} failed {{date, datetime}}: restored after {{duration}} ({{summary}})',
      failureStillWhy:
        '{{cluster}} failed {{date, datetime}}: still failing ({{summary}})',
      workload: '{{kind}} {{name}}',
    },
    overview: {
      loadFailed: 'Could not load the promotion overview: {{error}}',
      tableLabel:
        'Promotion overview: versions and states per component and environment',
      groupTableLabel:
        'Promotion overview: versions and states per component and environment: {{group}}',
      component: 'Component',
      failingIn_one: '{{count}} failing in {{environment}}',
      failingIn_other: '{{count}} failing in {{environment}}',
      pendingTo_one: '{{count}} pending promotion to {{environment}}',
      pendingTo_other: '{{count}} pending promotion to {{environment}}',
      mixedVersions_one: '{{count}} with mixed versions',
      mixedVersions_other: '{{count}} with mixed versions',
      stale_one: '{{count}} with stale or no data',
      stale_other: '{{count}} with stale or no data',
      allClear: 'Nothing failing, nothing waiting to be promoted.',
      entities_one: '{{count}} component',
      entities_other: '{{count}} components',
      filtersLabel: 'Show only',
      filter: {
        failing: 'Failing',
        pending: 'Pending promotion',
        'mixed-versions': 'Mixed versions',
        stale: 'Stale or no data',
      },
      environment: 'In environment',
      anyEnvironment: 'Any environment',
      groupBy: 'Group by',
      groupByNone: 'Nothing',
      groupByOwner: 'Owner',
      groupBySystem: 'System',
      noOwner: 'No owner',
      noSystem: 'No system',
      empty:
        'No component here has workloads in the configured environments, or you may not view them.',
      emptyUnread:
        'No workload found in the clusters that could be read: the clusters above could not be read.',
      unavailable_one:
        'The promotion view of {{entities}} could not be built; the backend log has the cause.',
      unavailable_other:
        'The promotion views of {{count}} components could not be built ({{entities}}); the backend log has the cause.',
      noMatch: 'No component matches these filters.',
      truncated:
        'Only the first {{count}} components were read: open the overview of a group or a system for the rest.',
      truncatedScope:
        'Only the first {{count}} components were read: open the overview of a child group or a system for the rest.',
      refreshFailed: 'Refreshing the overview failed: {{error}}',
      openCell: 'Open {{workload}} in {{environment}}',
      rowWorkload: '{{component}}: {{kind}} {{name}}',
      titleWithRef: '{{title}} ({{ref}})',
      pageTitle: 'GitOps promotion',
      pageSubtitle:
        'Which version runs where, across the services you may view',
    },
  },
});

/** The `t` of the plugin's messages, for helpers that build texts. */
export type GitopsPromotionT = TranslationFunction<
  typeof gitopsPromotionTranslationRef.T
>;
