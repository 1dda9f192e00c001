import { CoreV1Event } from '@kubernetes/client-node';
import { KubeEvent } from '@gitops-promotion/backstage-plugin-common';
import { ObjectTarget } from './types';

const MAX_EVENTS = 20;

/** apimachinery's fields.EscapeValue: a value cannot add terms to a field selector. */
function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, c => `\\${c}`);
}

/**
 * The field selector of an object's events: kind and name, and the uid when
 * the object is known, so the events of an earlier object of the same name
 * (deleted and created again) are not its own.
 */
export function eventFieldSelector(target: ObjectTarget): string {
  return [
    ['involvedObject.kind', target.kind.kind],
    ['involvedObject.name', target.name],
    ...(target.uid ? [['involvedObject.uid', target.uid]] : []),
  ]
    .map(([field, value]) => `${field}=${escapeFieldValue(value)}`)
    .join(',');
}

/**
 * Whether an event is about the object: same kind and name in the same API
 * group (another CRD may have a kind `Release`; a field selector matches
 * apiVersion only whole, and recorders may use another version than the one
 * read), and the same uid when the object is known.
 */
export function isEventOf(event: CoreV1Event, target: ObjectTarget): boolean {
  // Read from a cluster: required fields may still be missing.
  const involved: CoreV1Event['involvedObject'] | undefined =
    event.involvedObject;
  if (!involved) return false;
  const group = involved.apiVersion?.includes('/')
    ? involved.apiVersion.split('/')[0]
    : '';
  return (
    group === target.kind.group &&
    involved.kind === target.kind.kind &&
    involved.name === target.name &&
    (involved.namespace ?? target.namespace) === target.namespace &&
    (!target.uid || involved.uid === target.uid)
  );
}

/**
 * A timestamp as the client deserializes it (Date), or as fixture YAML
 * holds it (an ISO string).
 */
function iso(value: Date | string | undefined): string | undefined {
  if (!value) return undefined;
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * The events of an object among `items`, newest first; events.k8s.io-style
 * ones carry eventTime and series instead of the core/v1 fields.
 */
export function eventsOf(
  items: CoreV1Event[],
  target: ObjectTarget,
): KubeEvent[] {
  return items
    .filter(e => isEventOf(e, target))
    .map(e => ({
      type: e.type ?? 'Normal',
      reason: e.reason ?? '',
      message: e.message ?? '',
      count: e.series?.count ?? e.count ?? 1,
      firstTimestamp: iso(e.firstTimestamp) ?? iso(e.eventTime),
      lastTimestamp:
        iso(e.series?.lastObservedTime) ??
        iso(e.lastTimestamp) ??
        iso(e.eventTime),
      source: e.source?.component ?? e.reportingComponent,
    }))
    .sort((a, b) =>
      (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''),
    )
    .slice(0, MAX_EVENTS);
}
