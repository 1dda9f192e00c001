import { failureCategory } from '../status/failureCategory';
import {
  RECONCILE_DISABLED_ANNOTATION,
  RECONCILE_DISABLED_REASON,
} from '../status/classifyObject';
import { KubeObject } from '../types/objects';
import { FailureCategory, RootCause } from '../types/view';
import { bucketTarget } from './facts';
import { nextSteps } from './kubectl';
import { clipOneLine as clip } from './oneLine';
import { describeRef } from './refs';
import { LINK_REASONS } from './linkReasons';
import { WalkedLink } from './walkChain';
import { ownValue } from '../util/ownValue';

/** What a source fetches, as a person would write it. */
function sourceTarget(kind: string, obj: KubeObject): string | undefined {
  const url = obj.spec?.url;
  const tag = obj.spec?.ref?.tag;
  if (kind === 'OCIRepository' && url) {
    return tag ? `${url}:${tag}` : url;
  }
  if (kind === 'HelmChart' && typeof obj.spec?.chart === 'string') {
    return `chart ${obj.spec.chart}${
      obj.spec.version ? `@${obj.spec.version}` : ''
    }`;
  }
  if (kind === 'Bucket') {
    return bucketTarget(obj);
  }
  return url;
}

const SOURCE_VERBS: Record<string, string> = {
  OCIRepository: 'pull',
  GitRepository: 'fetch',
  HelmRepository: 'fetch the index of',
  HelmChart: 'fetch',
  Bucket: 'fetch',
};

const SOURCE_PROBLEMS: Partial<Record<FailureCategory, string>> = {
  authentication: ' (credentials rejected)',
  network: ' (cannot reach it)',
};

const HELM_ACTIONS: Record<string, string> = {
  InstallFailed: 'failed to install',
  UpgradeFailed: 'failed to upgrade to',
  TestFailed: 'failed its Helm tests with',
  RollbackSucceeded: 'failed to upgrade and was rolled back from',
  // Install remediation's default strategy; upgrade's when configured.
  UninstallSucceeded: 'was uninstalled by its remediation after a failure with',
  UninstallFailed: 'failed to uninstall',
};

/** Ready reasons of a remediation that worked: the failure itself is in `Released`. */
const REMEDIATED = new Set(['RollbackSucceeded', 'UninstallSucceeded']);

/**
 * Why a remediated Helm action failed: after a rollback or an uninstall,
 * Ready says only that the remediation succeeded; helm-controller keeps
 * the failure itself in the `Released` condition.
 */
function remediatedFailure(
  obj: KubeObject,
  reason: string | undefined,
): string | undefined {
  if (!reason || !REMEDIATED.has(reason)) return undefined;
  const released = obj.status?.conditions?.find(c => c.type === 'Released');
  return released?.status === 'False' ? released.message : undefined;
}

function sentence(link: WalkedLink, category: FailureCategory): string {
  const { ref, classification, found } = link.link;
  const name = describeRef(ref);
  const obj = link.obj;
  const message = classification.message
    ? clip(classification.message)
    : undefined;
  const because = message ? `: ${message}` : '.';
  if (classification.reason === LINK_REASONS.outOfBounds) {
    return `${name} is ${classification.state.toLowerCase()}, ${message}.`;
  }
  if (!found || !obj) {
    if (classification.reason === LINK_REASONS.notOwned && message)
      return message;
    return `${name} does not exist in cluster ${ref.cluster}; the chain cannot go further (check the owner's events).`;
  }
  switch (category) {
    case 'suspended':
      return classification.reason === RECONCILE_DISABLED_REASON
        ? `${name} is suspended by the annotation ${RECONCILE_DISABLED_ANNOTATION}: disabled: Flux does not reconcile it until the annotation is removed.`
        : `${name} is suspended: Flux does not reconcile it until it is resumed.`;
    case 'dependency':
      return `${name} waits for a dependency${because}`;
    case 'in-progress':
      return `${name} is still reconciling${because}`;
    default:
      break;
  }
  const verb = SOURCE_VERBS[ref.kind];
  const target = sourceTarget(ref.kind, obj);
  // Only a failed fetch "cannot": a source not reconciled yet has not tried.
  if (verb && target && classification.state === 'Failed') {
    const problem = SOURCE_PROBLEMS[category] ?? '';
    return `${name} cannot ${verb} ${target}${problem}${because}`;
  }
  const helmAction = ownValue(HELM_ACTIONS, classification.reason);
  if (ref.kind === 'HelmRelease' && helmAction) {
    const chart = obj.status?.lastAttemptedRevision;
    const failure = remediatedFailure(obj, classification.reason);
    return `${name} ${helmAction} ${
      chart ? `chart version ${chart}` : 'its chart'
    } in this environment${failure ? `: ${clip(failure)}` : because}`;
  }
  if (ref.kind === 'Release' && classification.reason === 'ERROR') {
    return `${name} is in phase ERROR: KuboCD cannot render it; its events say why.`;
  }
  return `${name} is ${classification.state.toLowerCase()}${
    classification.reason ? ` (${classification.reason})` : ''
  }${because}`;
}

/** Names a link as the root cause of a workload's state. @public */
export function rootCauseOf(link: WalkedLink): RootCause {
  const { classification, found, ref } = link.link;
  const category: FailureCategory = found
    ? failureCategory(
        classification.state,
        classification.reason,
        classification.message,
      )
    : 'missing';
  return {
    ref,
    category,
    summary: sentence(link, category),
    reason: classification.reason,
    message: classification.message,
    nextSteps: nextSteps(ref, category, link.obj, classification.reason),
  };
}
