import {
  ClusterCell,
  KubeObject,
} from '@gitops-promotion/backstage-plugin-common';
import { realFluxObjects } from '../__testUtils__/realFluxObjects';
import { journalEntryOf, lastSeenOf, missedVersions } from './observe';

const workload = {
  cluster: 'prod-eu',
  kind: 'Kustomization' as const,
  namespace: 'apps',
  name: 'shop',
};
const root = {
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name: 'shop', namespace: 'apps' },
} as KubeObject;
const cell = (state: ClusterCell['state'], since: string): ClusterCell => ({
  cluster: 'prod-eu',
  namespace: 'apps',
  state,
  reason: state === 'Ready' ? 'ReconciliationSucceeded' : 'BuildFailed',
  since,
  history: [],
  chain: [],
});

describe('journalEntryOf', () => {
  const now = new Date('2026-12-06T12:00:00Z');

  it('times a change by its condition when that time is after the last entry', () => {
    const entry = journalEntryOf({
      workload,
      root,
      cell: cell('Failed', '2026-12-06T11:50:00Z'),
      last: { atMs: Date.parse('2026-12-06T10:00:00Z'), said: '[]' },
      now,
    });
    expect(entry?.at).toEqual(new Date('2026-12-06T11:50:00Z'));
    expect(entry).not.toHaveProperty('untimedAfter');
  });

  it('does not place a change in the future when a cluster clock runs ahead', () => {
    const entry = journalEntryOf({
      workload,
      root,
      cell: cell('Failed', '2026-12-06T12:10:00Z'),
      last: { atMs: Date.parse('2026-12-06T10:00:00Z'), said: '[]' },
      now,
    });
    // Seen now, after the last entry: replicas seeing it alike write it once.
    expect(entry?.at).toEqual(now);
    expect(entry?.untimedAfter).toEqual(new Date('2026-12-06T10:00:00Z'));
  });

  it('times a change by its condition a few seconds ahead of this clock, as a replica whose clock is right does', () => {
    // This replica's clock is 10 s behind the cluster's and the other
    // replica's: timed when seen, the change would be recorded twice.
    const entry = journalEntryOf({
      workload,
      root,
      cell: cell('Failed', '2026-12-06T12:00:10Z'),
      last: { atMs: Date.parse('2026-12-06T10:00:00Z'), said: '[]' },
      now,
    });
    expect(entry?.at).toEqual(new Date('2026-12-06T12:00:10Z'));
    expect(entry).not.toHaveProperty('untimedAfter');
  });

  it('places a change no time places after the entry it follows, even when this clock is behind that entry', () => {
    const last = Date.parse('2026-12-06T12:00:05Z');
    const entry = journalEntryOf({
      workload,
      root,
      cell: cell('Failed', '2026-12-06T09:00:00Z'),
      last: { atMs: last, said: '[]' },
      now,
    });
    expect(entry?.at).toEqual(new Date(last + 1));
    expect(entry?.untimedAfter).toEqual(new Date(last));
  });

  it('keeps a summary as answers show it: no URL password, no bidirectional control', () => {
    const entry = journalEntryOf({
      workload,
      root,
      cell: {
        ...cell('Failed', '2026-12-06T11:50:00Z'),
        rootCause: {
          ref: {
            cluster: 'prod-eu',
            kind: 'GitRepository',
            group: 'source.toolkit.fluxcd.io',
            version: 'v1.0.0',
            plural: 'gitrepositories',
            namespace: 'apps',
            name: 'shop',
          },
          category: 'authentication',
          summary:
            'GitRepository apps/shop cannot fetch https://ci:hunter2@git.test/shop.git (\u202Edeilin\u202C)',
          nextSteps: [],
        },
      },
      now,
    });
    expect(entry?.summary).toBe(
      'GitRepository apps/shop cannot fetch https://ci:<redacted>@git.test/shop.git (deilin)',
    );
  });

  it('places no change at a time before 1970 (an unset clock)', () => {
    const entry = journalEntryOf({
      workload,
      root,
      cell: cell('Failed', '1969-07-20T20:17:00Z'),
      now,
    });
    expect(entry?.at).toEqual(now);
  });

  it('places a return to an earlier revision after the one it replaced, written first', () => {
    // v1.0.0 recorded on 12-01; while no backend watched, v2.0.0 applied
    // on 12-06 at 09:00, then v1.0.0 again: its history entry keeps its
    // first reconcile, and its Ready condition last turned on 12-05.
    const revision = (tag: string) => `${tag}@sha1:${'a'.repeat(40)}`;
    // As a cell writes a git tag: with its commit (a tag can be moved).
    const shown = (tag: string) => `${tag}@aaaaaaa`;
    const applied = (tag: string, at: string) => ({
      digest: `sha256:${tag}`,
      firstReconciled: at,
      lastReconciledStatus: 'ReconciliationSucceeded',
      metadata: { revision: revision(tag) },
    });
    const returned = {
      ...root,
      status: {
        history: [
          applied('v1.0.0', '2026-12-01T09:00:00Z'),
          applied('v2.0.0', '2026-12-06T09:00:00Z'),
        ],
      },
    } as KubeObject;
    const last = lastSeenOf({
      ...workload,
      at: new Date('2026-12-01T09:00:00Z'),
      observedAt: now,
      state: 'Ready',
      reason: 'ReconciliationSucceeded',
      version: shown('v1.0.0'),
    });
    const entry = journalEntryOf({
      workload,
      root: returned,
      cell: {
        ...cell('Ready', '2026-12-05T00:00:00Z'),
        revision: revision('v1.0.0'),
        version: shown('v1.0.0'),
      },
      last,
      now,
    });
    expect(entry).toMatchObject({
      at: now,
      version: shown('v1.0.0'),
      untimedAfter: new Date('2026-12-06T09:00:00Z'),
    });
    const missed = missedVersions({
      workload,
      root: returned,
      entry: entry!,
      last,
      now,
    });
    expect(missed.map(e => [e.version, e.at.toISOString()])).toEqual([
      [shown('v2.0.0'), '2026-12-06T09:00:00.000Z'],
    ]);
  });

  it('counts as run only the Kustomization revisions whose reconcile succeeded', () => {
    // Captured from kustomize-controller: 8da8b39 applied, then 4c0a300
    // failed to build (an invalid manifest) and never applied.
    const captured = realFluxObjects('kustomization-invalid-manifest');
    const kustomization = captured.find(o => o.kind === 'Kustomization')!;
    const missed = missedVersions({
      workload,
      root: kustomization,
      entry: {
        ...workload,
        at: new Date('2026-12-04T22:11:00Z'),
        observedAt: now,
        state: 'Failed',
        version: 'main@8da8b394',
      },
      last: { atMs: Date.parse('2026-12-04T22:00:00Z'), said: '[]' },
      now,
    });
    expect(missed.map(e => [e.state, e.version, e.at.toISOString()])).toEqual([
      ['Ready', expect.stringContaining('8da8b39'), '2026-12-04T22:10:27.000Z'],
    ]);
  });
});
