import { kindOf } from '../kinds';
import { KubeObject } from '../types/objects';
import { Classification } from '../types/view';
import { findCondition } from './conditions';
import { objectRevision } from './revision';
import { ownValue } from '../util/ownValue';

/** Ready=Unknown reasons that mean "working on it" (Flux Operator's rule 4). */
const PROGRESSING_REASONS = new Set([
  'Progressing',
  'ProgressingWithRetry',
  'Reconciling',
]);

/** @public */
export const RECONCILE_DISABLED_ANNOTATION = 'fluxcd.controlplane.io/reconcile';

/** The reason of an object suspended by RECONCILE_DISABLED_ANNOTATION rather than spec.suspend (resume does not undo it). @public */
export const RECONCILE_DISABLED_REASON = 'ReconcileDisabled';

/**
 * Classifies one Flux object or KuboCD Release the way the Flux tools do
 * (DOMAIN.md), in this order:
 * 1. suspended (spec.suspend; or reconcile disabled by annotation, reason
 *    RECONCILE_DISABLED_REASON) → Suspended;
 * 2. status.observedGeneration below metadata.generation → Progressing,
 *    unless the Ready condition already carries the current generation
 *    (Flux keeps observedGeneration stale while a new spec keeps failing,
 *    and at -1 on an object that never reconciled successfully);
 * 3. Stalled=True → Failed, marked `stalled` (Flux gave up until something changes);
 * 4. Ready=True → Ready;
 * 5. Ready=False → Failed, except reason DependencyNotReady → Progressing;
 * 6. Ready=Unknown → Progressing when the reason says so (or is empty), else Unknown;
 * 7. no Ready condition → Unknown; an OCI HelmRepository has no status by design → Ready.
 * `since` comes from the condition that decided; Suspended and
 * NewGeneration have none (Flux records neither when it happened, and the
 * Ready condition's time is of an unrelated transition).
 * A KuboCD Release has no conditions: its phase decides (READY → Ready,
 * ERROR → Failed, SUSPENDED → Suspended, WAIT_* → Progressing). That a
 * failed child makes a waiting Release Failed is the chain walk's rule.
 * @public
 */
export function classifyObject(obj: KubeObject): Classification {
  const revision = objectRevision(obj);
  const result =
    kindOf(obj) === 'Release' ? classifyRelease(obj) : classifyFlux(obj);
  return revision === undefined ? result : { ...result, revision };
}

function classifyFlux(obj: KubeObject): Classification {
  const ready = findCondition(obj, 'Ready');
  if (obj.spec?.suspend === true) {
    return {
      state: 'Suspended',
      reason: 'Suspended',
      message:
        'Reconciliation is suspended: Flux leaves the object as it is until it is resumed.',
    };
  }
  if (
    obj.metadata.annotations?.[RECONCILE_DISABLED_ANNOTATION] === 'disabled'
  ) {
    return {
      state: 'Suspended',
      reason: RECONCILE_DISABLED_REASON,
      message: `Reconciliation is disabled by the annotation ${RECONCILE_DISABLED_ANNOTATION}: disabled: Flux leaves the object as it is until the annotation is removed.`,
    };
  }

  const generation = obj.metadata.generation;
  const observed = obj.status?.observedGeneration;
  // Flux moves status.observedGeneration only when a reconcile succeeds; a
  // Ready condition stamped with the current generation is a verdict on it.
  const readyIsCurrent =
    ready?.observedGeneration !== undefined &&
    ready.observedGeneration === generation;
  if (
    generation !== undefined &&
    observed !== undefined &&
    observed < generation &&
    !readyIsCurrent
  ) {
    return {
      state: 'Progressing',
      reason: 'NewGeneration',
      // -1: the controller took the object up and never completed a reconcile.
      message:
        observed < 0
          ? `The controller has not completed a reconcile of this object yet (generation ${generation}).`
          : `The controller has not yet acted on generation ${generation} (last observed ${observed}).`,
    };
  }

  const stalled = findCondition(obj, 'Stalled');
  if (stalled?.status === 'True') {
    // Stalled says "gave up" (RetriesExceeded); a failing Ready says why.
    const why = ready?.status === 'False' ? ready : stalled;
    return {
      ...fromCondition('Failed', why),
      since: stalled.lastTransitionTime,
      stalled: true,
    };
  }

  if (!ready) {
    if (kindOf(obj) === 'HelmRepository' && obj.spec?.type === 'oci') {
      return {
        state: 'Ready',
        reason: 'OCIRepository',
        message:
          'OCI Helm repositories are not reconciled: charts are pulled by the HelmChart.',
      };
    }
    return {
      state: 'Unknown',
      reason: 'NoReadyCondition',
      message:
        'Waiting to be reconciled: the object has no Ready condition yet.',
    };
  }

  switch (ready.status) {
    case 'True':
      return fromCondition('Ready', ready);
    case 'False':
      return fromCondition(
        ready.reason === 'DependencyNotReady' ? 'Progressing' : 'Failed',
        ready,
      );
    default:
      return fromCondition(
        !ready.reason || PROGRESSING_REASONS.has(ready.reason)
          ? 'Progressing'
          : 'Unknown',
        ready,
      );
  }
}

function fromCondition(
  state: Classification['state'],
  condition: { reason?: string; message?: string; lastTransitionTime?: string },
): Classification {
  return {
    state,
    reason: condition.reason,
    message: condition.message,
    since: condition.lastTransitionTime,
  };
}

/** Plain words for KuboCD's phases; KuboCD itself only reports the phase. */
const RELEASE_PHASES: Record<
  string,
  { state: Classification['state']; message: string }
> = {
  READY: {
    state: 'Ready',
    message: 'All HelmReleases of the Release are ready.',
  },
  ERROR: {
    state: 'Failed',
    message:
      'KuboCD cannot render the Release (see its events: context, parameters or package errors).',
  },
  SUSPENDED: { state: 'Suspended', message: 'The Release is suspended.' },
  WAIT_OCI: {
    state: 'Progressing',
    message: 'Waiting for the package OCIRepository to be ready.',
  },
  WAIT_REPO: {
    state: 'Progressing',
    message: 'Waiting for the Release HelmRepository to be ready.',
  },
  WAIT_DEPS: {
    state: 'Progressing',
    message: 'Waiting for the Releases it depends on.',
  },
  WAIT_HREL: {
    state: 'Progressing',
    message: 'Waiting for its HelmReleases to be ready.',
  },
};

function classifyRelease(obj: KubeObject): Classification {
  const phase = obj.status?.phase;
  if (obj.spec?.suspended === true) {
    return {
      state: 'Suspended',
      reason: phase ?? 'SUSPENDED',
      message: RELEASE_PHASES.SUSPENDED.message,
    };
  }
  if (!phase) {
    return {
      state: 'Unknown',
      reason: 'NoPhase',
      message:
        'Waiting to be reconciled: the KuboCD controller has not set a phase yet.',
    };
  }
  const known = ownValue(RELEASE_PHASES, phase);
  if (!known) {
    return {
      state: 'Unknown',
      reason: phase,
      message: `Unrecognised KuboCD phase ${phase}.`,
    };
  }
  let message = known.message;
  if (phase === 'WAIT_DEPS' && obj.status?.missingDependency) {
    message = `Waiting for the Release it depends on: ${obj.status.missingDependency}.`;
  }
  return { state: known.state, reason: phase, message };
}
