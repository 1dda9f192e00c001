import { KubeEvent } from '@gitops-promotion/backstage-plugin-common';

const MAX_EVENTS = 20;

export type RawEvent = {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: Date | string;
  lastTimestamp?: Date | string;
  eventTime?: Date | string;
  series?: { count?: number; lastObservedTime?: Date | string };
  source?: { component?: string };
  reportingComponent?: string;
};

function iso(value: Date | string | undefined): string | undefined {
  if (!value) return undefined;
  return value instanceof Date ? value.toISOString() : value;
}

/** Core/v1 events, newest first; events.k8s.io-style ones carry eventTime and series instead. */
export function toKubeEvents(items: RawEvent[]): KubeEvent[] {
  return items
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
