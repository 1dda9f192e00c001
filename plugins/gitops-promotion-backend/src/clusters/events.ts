import { CoreV1Event } from '@kubernetes/client-node';
import { KubeEvent } from '@gitops-promotion/backstage-plugin-common';
import { clipText } from '@gitops-promotion/backstage-plugin-common/server';
import { ObjectTarget } from './types';

const MAX_EVENTS = 20;
/** The longest event message kept: Flux's run to a few hundred characters, a template error to a few thousand. */
const MAX_MESSAGE = 4096;
/** The longest type, reason or source kept (the API server allows 128 for a reason). */
const MAX_WORD = 128;

/**
 * A field the client library typed as a string, as the cluster sent it:
 * the library does not check types, so anything may be there.
 */
function text(value: unknown, max: number): string | undefined {
  return typeof value === 'string' ? clipText(value, max) : undefined;
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? value
    : undefined;
}

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
  if (typeof involved !== 'object' || involved === null) return false;
  // Compared with ===, other fields of another type never match.
  const apiVersion: unknown = involved.apiVersion;
  const group =
    typeof apiVersion === 'string' && apiVersion.includes('/')
      ? apiVersion.split('/')[0]
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
 * holds it (an ISO string); nothing for anything else.
 */
function iso(value: unknown): string | undefined {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  }
  return text(value, MAX_WORD);
}

/**
 * The events of an object among `items`, newest first; events.k8s.io-style
 * ones carry eventTime and series instead of the core/v1 fields. Each field
 * is kept only with the type Kubernetes gives it and cut to a bound, so a
 * hostile event cannot break or swamp the drill-down that shows it.
 */
export function eventsOf(
  items: CoreV1Event[],
  target: ObjectTarget,
): KubeEvent[] {
  return items
    .filter(e => isEventOf(e, target))
    .map(e => ({
      type: text(e.type, MAX_WORD) ?? 'Normal',
      reason: text(e.reason, MAX_WORD) ?? '',
      message: text(e.message, MAX_MESSAGE) ?? '',
      count: positive(e.series?.count) ?? positive(e.count) ?? 1,
      firstTimestamp: iso(e.firstTimestamp) ?? iso(e.eventTime),
      lastTimestamp:
        iso(e.series?.lastObservedTime) ??
        iso(e.lastTimestamp) ??
        iso(e.eventTime),
      source:
        text(e.source?.component, MAX_WORD) ??
        text(e.reportingComponent, MAX_WORD),
    }))
    .sort((a, b) =>
      (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''),
    )
    .slice(0, MAX_EVENTS);
}
