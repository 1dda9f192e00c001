import { createHash } from 'node:crypto';
import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import {
  NotificationPayload,
  NotificationSeverity,
} from '@backstage/plugin-notifications-common';
import {
  EnvironmentCell,
  EnvironmentSummary,
  promotionCellQuery,
  WorkloadRow,
} from '@gitops-promotion/backstage-plugin-common';
import { NotificationKind } from '@gitops-promotion/backstage-plugin-common/server';
import { nameSome } from '../text/nameSome';
import { answerText } from '../text/answerText';

/** The longest title and description sent: a notification is read at a glance. */
const MAX_TITLE = 120;
const MAX_DESCRIPTION = 600;

/**
 * Text from a cluster (a root cause's summary quotes a controller's
 * message) as one plain line: control characters and runs of whitespace
 * become one space, as an answer (answerText: no bidirectional controls,
 * no URL passwords), and it is cut at `max` characters.
 */
export function plainText(text: string, max: number): string {
  const line = answerText(text)
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ')
    .trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/** `2026-12-05 10:42 UTC`: the same for every recipient, whatever their zone. */
function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** `14 min`, `2 h 5 min`, `3 d 4 h`. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  }
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** The notifications backend stores a scope in a varchar(255). */
const MAX_SCOPE = 255;

/**
 * The scope of a workload in one environment of an entity: one
 * notification each. Readable when it fits the notifications backend's
 * column; else a digest of it (object names run to 253 characters, and a
 * longer scope was refused on every send).
 */
export function notificationScope(
  entityRef: string,
  rowId: string,
  environment: string,
): string {
  const scope = `gitops-promotion:${entityRef}:${rowId}:${environment}`;
  return scope.length <= MAX_SCOPE
    ? scope
    : `gitops-promotion:sha256:${createHash('sha256')
        .update(scope)
        .digest('hex')}`;
}

/** The topic of an environment: people follow or mute it in their settings. */
export function notificationTopic(environment: string): string {
  return `gitops-promotion:${environment}`;
}

/**
 * The entity's Promotion tab (at `tabPath`, validated path segments under
 * the entity page), app-relative.
 */
function tabLink(entity: CompoundEntityRef, tabPath: string): string {
  const path = [
    'catalog',
    entity.namespace.toLocaleLowerCase('en-US'),
    entity.kind.toLocaleLowerCase('en-US'),
    entity.name,
  ]
    .map(encodeURIComponent)
    .join('/');
  return `/${path}/${tabPath}`;
}

/** The entity's Promotion tab with the cell's drill-down open. */
export function cellLink(
  entity: CompoundEntityRef,
  tabPath: string,
  rowId: string,
  environment: string,
): string {
  return `${tabLink(entity, tabPath)}?${promotionCellQuery(
    rowId,
    environment,
  )}`;
}

/** What a notification is about. */
export interface NotificationSubject {
  entity: CompoundEntityRef;
  entityRef: string;
  row: WorkloadRow;
  environment: EnvironmentSummary;
  cell: EnvironmentCell;
  /** The environment's failure severity. */
  severity: NotificationSeverity;
  /** Where the Promotion tab is under an entity's page (NotificationOptions). */
  tabPath: string;
}

/**
 * The notification of a failure, a recovery or a new version of a workload
 * in one environment: what happened in plain words, where (the
 * environment, its clusters), since when, and a link to the cell. A
 * recovery is low severity: it ends what the failure said.
 */
export function notificationPayload(
  subject: NotificationSubject,
  event: {
    kind: Exclude<NotificationKind, 'ended'>;
    /** Since when the environment is in its condition (failing, healthy). */
    since: string;
    /** For a recovery: since when it was failing. */
    failingSince?: string;
  },
): NotificationPayload {
  const { row, environment, cell, entity } = subject;
  const where = environment.title;
  let title: string;
  let description: string;
  let severity: NotificationSeverity = 'low';
  if (event.kind === 'failure') {
    const failing = cell.clusters.filter(c => c.state === 'Failed');
    const causes = [
      ...new Set(
        failing.map(c => c.rootCause?.summary ?? c.message ?? c.reason ?? ''),
      ),
    ]
      // A controller's message may end mid-sentence ("…: authentication required:").
      .map(c => plainText(c, MAX_DESCRIPTION).replace(/[\s:;,]+$/, ''))
      .filter(Boolean)
      .map(c => (/[.!?…]$/.test(c) ? c : `${c}.`));
    title = `${row.name} is failing in ${where}`;
    // Where and since when first: the causes after them are what a bound cuts.
    description = `Failing in ${namesOf(
      failing.map(c => c.cluster),
    )} since ${utc(event.since)}. ${causes.join(' ') || 'Failed.'}`;
    severity = subject.severity;
  } else if (event.kind === 'recovery') {
    const after = event.failingSince
      ? ` after ${formatDuration(
          Date.parse(event.since) - Date.parse(event.failingSince),
        )}`
      : '';
    title = `${row.name} recovered in ${where}${after}`;
    description = `Ready again in ${clusterList(cell)} since ${utc(
      event.since,
    )}${cell.versions.length ? `, running ${cell.versions.join(', ')}` : ''}.`;
  } else {
    title = `${row.name} ${cell.version ?? ''} reached ${where}`;
    description = `Ready in ${clusterList(cell)} since ${utc(event.since)}.`;
  }
  return {
    title: plainText(title, MAX_TITLE),
    description: plainText(description, MAX_DESCRIPTION),
    link: cellLink(entity, subject.tabPath, row.id, environment.name),
    severity,
    topic: notificationTopic(environment.name),
    scope: notificationScope(subject.entityRef, row.id, environment.name),
  };
}

/**
 * The update that ends a failure told when the workload left: `removed`,
 * no cluster of the environment runs it any more; `unfollowed`, no view
 * shows it there any more (removed from every environment: its row is
 * gone; or the entity, its annotations or the environment's `notify`
 * changed). Low severity, as a recovery: it ends
 * what the failure said. Sent under the failure's scope, so it replaces it.
 */
export function endedPayload(ended: {
  why: 'removed' | 'unfollowed';
  entityRef: string;
  scope: string;
  /** The workload's name, when known. */
  workload?: string;
  environment: { name: string; title: string };
  /** Since when the workload is gone from the environment or its views. */
  since: string;
  /** When the failure was told. */
  toldAt?: string;
  tabPath: string;
}): NotificationPayload {
  const { environment } = ended;
  const what = ended.workload ?? 'A workload';
  const told = ended.toldAt ? ` told on ${utc(ended.toldAt)}` : '';
  const removed = ended.why === 'removed';
  return {
    title: plainText(
      removed
        ? `${what} is no longer deployed in ${environment.title}`
        : `${what} in ${environment.title} is no longer followed`,
      MAX_TITLE,
    ),
    description: plainText(
      removed
        ? `No cluster of ${environment.title} runs it since ${utc(
            ended.since,
          )}: the failure${told} is over.`
        : `No promotion view has shown it in ${environment.title} since ${utc(
            ended.since,
          )} (removed from every environment, or the entity, its annotations or the environment's notifications changed): the failure${told} is no longer followed.`,
      MAX_DESCRIPTION,
    ),
    link: tabLink(parseEntityRef(ended.entityRef), ended.tabPath),
    severity: 'low',
    topic: notificationTopic(environment.name),
    scope: ended.scope,
  };
}

function clusterList(cell: EnvironmentCell): string {
  return namesOf(cell.clusters.map(c => c.cluster));
}

/** Cluster names, the first five of them (a sandbox may have fifty). */
function namesOf(clusters: string[]): string {
  return nameSome([...new Set(clusters)], 5);
}
