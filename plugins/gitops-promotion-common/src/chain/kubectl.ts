import { CommonValidatorFunctions } from '@backstage/catalog-model';
import { KINDS } from '../kinds';
import {
  RECONCILE_DISABLED_ANNOTATION,
  RECONCILE_DISABLED_REASON,
} from '../status/classifyObject';
import { KubeObject } from '../types/objects';
import { FailureCategory, ObjectRef } from '../types/view';

// Names other CRDs use too (Helm charts' Release, Crossplane's Bucket...).
const AMBIGUOUS = new Set(['Release', 'Bucket']);

/**
 * The resource name kubectl needs. Flux kinds are unambiguous by kind; a
 * bare `release` or `bucket` may collide with other CRDs, so those are
 * qualified.
 * @public
 */
export function kubectlResource(ref: Pick<ObjectRef, 'kind'>): string {
  const info = KINDS[ref.kind];
  return AMBIGUOUS.has(ref.kind)
    ? `${info.plural}.${info.group}`
    : ref.kind.toLowerCase();
}

/**
 * A word for a POSIX shell (sh, bash, zsh): bare when it holds only
 * characters no shell gives a meaning to, otherwise in single quotes, inside
 * which nothing is special but the quote itself (written `'\''`).
 */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+,-][A-Za-z0-9_./:@%+,=-]*$/.test(value)
    ? value
    : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * `kubectl --context <cluster> -n <namespace> args...`, each word quoted.
 * The cluster name comes from config and may be any string; names and
 * namespaces are checked by the caller, since a value that is not a valid
 * Kubernetes name names no object (and could pass as an option).
 */
function kubectl(ref: ObjectRef, ...args: string[]): string {
  return ['kubectl', '--context', ref.cluster, '-n', ref.namespace, ...args]
    .map(shellQuote)
    .join(' ');
}

/**
 * What an engineer would run next to look further at a root cause. Assumes
 * kubeconfig contexts named after the clusters, as the clusters config does.
 * Names and namespaces come from objects and their specs, which nothing
 * validates (a Flux sourceRef may name anything): a command is left out
 * when a name it carries is not a valid Kubernetes name, and every word is
 * quoted for POSIX shells.
 * @public
 */
export function nextSteps(
  ref: ObjectRef,
  category: FailureCategory,
  obj?: KubeObject,
  /** The classification's reason: what suspends an object decides what resumes it. */
  reason?: string,
): string[] {
  if (!CommonValidatorFunctions.isValidDnsLabel(ref.namespace)) return [];
  const resource = kubectlResource(ref);
  const named = CommonValidatorFunctions.isValidDnsSubdomain(ref.name);
  const steps: string[] = [];
  if (category === 'missing') {
    steps.push(kubectl(ref, 'get', resource));
  } else if (named) {
    steps.push(kubectl(ref, 'describe', resource, ref.name));
  }
  if (!named) return steps;
  steps.push(
    kubectl(
      ref,
      'get',
      'events',
      '--field-selector',
      `involvedObject.kind=${ref.kind},involvedObject.name=${ref.name}`,
      '--sort-by=.lastTimestamp',
    ),
  );
  const secret = obj?.spec?.secretRef?.name;
  if (
    category === 'authentication' &&
    typeof secret === 'string' &&
    CommonValidatorFunctions.isValidDnsSubdomain(secret)
  ) {
    // describe shows the secret's type and keys with their sizes, never
    // the values: enough to see a missing or empty key, nothing to leak
    // onto a shared screen or into a terminal log.
    steps.push(kubectl(ref, 'describe', 'secret', secret));
  }
  if (category === 'configuration' && ref.kind === 'HelmRelease') {
    steps.push(
      kubectl(ref, 'get', resource, ref.name, '-o', 'jsonpath={.spec.values}'),
    );
  }
  if (category === 'suspended' && reason === RECONCILE_DISABLED_REASON) {
    steps.push(
      kubectl(
        ref,
        'annotate',
        resource,
        ref.name,
        `${RECONCILE_DISABLED_ANNOTATION}-`,
      ),
    );
  } else if (category === 'suspended') {
    const field = ref.kind === 'Release' ? 'suspended' : 'suspend';
    steps.push(
      kubectl(
        ref,
        'patch',
        resource,
        ref.name,
        '--type=merge',
        '-p',
        `{"spec":{"${field}":false}}`,
      ),
    );
  }
  return steps;
}
