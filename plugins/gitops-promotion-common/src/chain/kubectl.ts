import { KINDS } from '../kinds';
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

function kubectl(ref: ObjectRef, args: string): string {
  return `kubectl --context ${ref.cluster} -n ${ref.namespace} ${args}`;
}

/**
 * What an engineer would run next to look further at a root cause. Assumes
 * kubeconfig contexts named after the clusters, as the clusters config does.
 * @public
 */
export function nextSteps(
  ref: ObjectRef,
  category: FailureCategory,
  obj?: KubeObject,
): string[] {
  const resource = kubectlResource(ref);
  const steps: string[] = [];
  if (category === 'missing') {
    steps.push(kubectl(ref, `get ${resource}`));
  } else {
    steps.push(kubectl(ref, `describe ${resource} ${ref.name}`));
  }
  steps.push(
    kubectl(
      ref,
      `get events --field-selector involvedObject.kind=${ref.kind},involvedObject.name=${ref.name} --sort-by=.lastTimestamp`,
    ),
  );
  const secret = obj?.spec?.secretRef?.name;
  if (category === 'authentication' && secret) {
    steps.push(
      kubectl(ref, `get secret ${secret} -o jsonpath='{.type}{"\\n"}{.data}'`),
    );
  }
  if (category === 'configuration' && ref.kind === 'HelmRelease') {
    steps.push(
      kubectl(ref, `get ${resource} ${ref.name} -o jsonpath='{.spec.values}'`),
    );
  }
  if (category === 'suspended') {
    const field = ref.kind === 'Release' ? 'suspended' : 'suspend';
    steps.push(
      kubectl(
        ref,
        `patch ${resource} ${ref.name} --type=merge -p '{"spec":{"${field}":false}}'`,
      ),
    );
  }
  return steps;
}
