import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
  toError,
} from '@backstage/errors';
import {
  ChainLink,
  describeRef,
  KubeObject,
  ObjectDetails,
  ObjectRef,
} from '@gitops-promotion/backstage-plugin-common';
import {
  classifyObject,
  clipDepth,
  hideValueFields,
  KINDS,
  LocatedLink,
  redactValueFields,
  valuesDocument,
} from '@gitops-promotion/backstage-plugin-common/server';
import { valuesDigest } from '../cache/slim';
import { OnDemandCalls } from '../clusters/OnDemandCalls';
import { ClusterRequestError, ObjectTarget } from '../clusters/types';

/** A request failing at a cluster, as the HTTP error the caller gets. */
export function toHttpError(error: unknown): Error {
  if (error instanceof ClusterRequestError) {
    return error.type === 'NOT_FOUND'
      ? new NotFoundError(error.message)
      : new ServiceUnavailableError(`${error.type}: ${error.message}`);
  }
  return toError(error);
}

/** A link of the view at the API version asked for, and how to reach it. */
export function targetOf(
  link: ChainLink,
  version = link.ref.version,
): { ref: ObjectRef; target: ObjectTarget } {
  const { namespace, name } = link.ref;
  return {
    ref: { ...link.ref, version },
    target: { kind: KINDS[link.ref.kind], version, namespace, name },
  };
}

/**
 * Reads objects in full from their cluster, on demand, for the drill-down
 * and the values comparison: the only reads that reach a cluster, always
 * through the per-cluster bounds of {@link OnDemandCalls}, and only for
 * links an authorized entry point has located in an entity's chains.
 */
export class ObjectDetailsService {
  constructor(private readonly calls: OnDemandCalls) {}

  /**
   * One object and its recent events. Its value fields are redacted
   * (`values` true) or left out with their digests.
   */
  async details(
    located: LocatedLink,
    version: string,
    values: boolean,
  ): Promise<ObjectDetails> {
    const { ref, target } = targetOf(located.link, version);
    const [object, events] = await Promise.allSettled([
      this.calls.get(ref.cluster, target),
      this.calls.events(ref.cluster, target),
    ]);
    if (object.status === 'rejected') {
      throw toHttpError(object.reason);
    }
    const full = withoutNoise(clipDepth(object.value));
    const shown = values
      ? { ...redactValueFields(full), hiddenFields: [] }
      : { ...hideValueFields(full, valuesDigest), redactedPaths: [] };
    return {
      ref,
      object: shown.object,
      classification: classifyObject(full),
      events: events.status === 'fulfilled' ? events.value : [],
      ...(events.status === 'rejected'
        ? {
            eventsError: `Events of ${describeRef(ref)} could not be read: ${
              toError(events.reason).message
            }`,
          }
        : {}),
      hiddenFields: shown.hiddenFields,
      redactedPaths: shown.redactedPaths,
    };
  }

  /** The recent events of one object, without the object (no values read). */
  async events(
    located: LocatedLink,
    version: string,
  ): Promise<ObjectDetails['events']> {
    const { ref, target } = targetOf(located.link, version);
    try {
      return await this.calls.events(ref.cluster, target);
    } catch (error) {
      throw toHttpError(error);
    }
  }

  /**
   * What a workload runs with ({@link valuesDocument}), read from its
   * cluster with a KuboCD Release's own HelmReleases; no events.
   */
  async values(
    located: LocatedLink,
    version: string,
  ): Promise<{ ref: ObjectRef; document: Record<string, unknown> }> {
    if (located.link.role !== 'workload') {
      throw new InputError(
        `${describeRef(located.link.ref)} is a ${
          located.link.role
        } of ${describeRef(
          located.workload.ref,
        )}: values are compared between workloads`,
      );
    }
    const { ref, target } = targetOf(located.link, version);
    const helmReleases = located.chain.filter(
      l => l.role === 'helmRelease' && l.found,
    );
    const [workload, ...children] = await Promise.all([
      this.calls.get(ref.cluster, target),
      ...helmReleases.map(l => this.calls.get(ref.cluster, targetOf(l).target)),
    ]).catch(e => {
      throw toHttpError(e);
    });
    return {
      ref,
      document: valuesDocument(
        clipDepth(workload),
        children.map(c => clipDepth(c)),
      ),
    };
  }
}

/** What `kubectl get -o yaml` hides or nobody reads: managed fields, the last-applied copy. */
function withoutNoise(obj: KubeObject): KubeObject {
  const { managedFields, ...metadata } =
    obj.metadata as KubeObject['metadata'] & {
      managedFields?: unknown;
    };
  if (metadata.annotations) {
    const {
      'kubectl.kubernetes.io/last-applied-configuration': _lastApplied,
      ...annotations
    } = metadata.annotations;
    metadata.annotations = annotations;
  }
  return { ...obj, metadata };
}
