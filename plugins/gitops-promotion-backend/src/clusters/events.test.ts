import path from 'node:path';
import { KINDS } from '@gitops-promotion/backstage-plugin-common/server';
import { readFixtureObjects } from '@internal/kube-testbed';
import { DEMO_CLUSTERS } from '../__testUtils__/demoObjects';
import { CoreV1Event } from '@kubernetes/client-node';
import { eventFieldSelector, eventsOf } from './events';
import { ObjectTarget } from './types';

/** staging-eu's demo events, written in the form `kubectl get events -o yaml` prints. */
const recorded = readFixtureObjects(
  path.join(DEMO_CLUSTERS, 'staging-eu'),
).filter(o => o.kind === 'Event') as unknown as CoreV1Event[];
const pullFailed = recorded.find(
  e => e.involvedObject?.kind === 'OCIRepository',
)!;
const liveUid = pullFailed.involvedObject!.uid!;

const ociRepository: ObjectTarget = {
  kind: KINDS.OCIRepository,
  version: 'v1',
  namespace: 'apps',
  name: 'kcd-podinfo',
  uid: liveUid,
};

function like(
  event: CoreV1Event,
  reason: string,
  involved: Partial<NonNullable<CoreV1Event['involvedObject']>>,
): CoreV1Event {
  return {
    ...structuredClone(event),
    reason,
    involvedObject: { ...event.involvedObject, ...involved },
  };
}

describe('events of an object', () => {
  const fromDeletedObject = like(pullFailed, 'FromTheDeletedOne', {
    uid: '0d6f7e0a-0000-4000-8000-000000000001',
  });
  const otherGroup = like(pullFailed, 'FromAnotherCrd', {
    apiVersion: 'oci.example.com/v1',
    uid: '0d6f7e0a-0000-4000-8000-000000000002',
  });
  const olderVersion = like(pullFailed, 'RecordedAtV1beta2', {
    apiVersion: 'source.toolkit.fluxcd.io/v1beta2',
  });

  it('keeps only the events of that very object: its group, and its uid when known', () => {
    const items = [...recorded, fromDeletedObject, otherGroup, olderVersion];
    expect(eventsOf(items, ociRepository).map(e => e.reason)).toEqual([
      'OCIArtifactPullFailed',
      'RecordedAtV1beta2',
    ]);
    // Not in the cache (no uid): kind, name and group still decide.
    expect(
      eventsOf(items, { ...ociRepository, uid: undefined })
        .map(e => e.reason)
        .sort(),
    ).toEqual([
      'FromTheDeletedOne',
      'OCIArtifactPullFailed',
      'RecordedAtV1beta2',
    ]);
  });

  it('asks the API server by uid when it is known, escaping what a selector would read as syntax', () => {
    expect(eventFieldSelector(ociRepository)).toBe(
      `involvedObject.kind=OCIRepository,involvedObject.name=kcd-podinfo,involvedObject.uid=${liveUid}`,
    );
    expect(
      eventFieldSelector({
        ...ociRepository,
        name: 'a,involvedObject.name=b',
        uid: undefined,
      }),
    ).toBe(
      'involvedObject.kind=OCIRepository,involvedObject.name=a\\,involvedObject.name\\=b',
    );
  });

  it('keeps each field only with the type Kubernetes gives it, cut to a bound', () => {
    // The client library does not check types: what the cluster sent arrives.
    const hostile = {
      ...structuredClone(pullFailed),
      type: ['Warning'],
      reason: 42,
      message: { html: '<img src=x onerror=alert(1)>' },
      count: {},
      firstTimestamp: { toISOString: 'no' },
      lastTimestamp: new Date('not a date'),
      eventTime: 7,
      series: null,
      source: 'kubelet',
      reportingComponent: { name: 'x' },
    } as unknown as CoreV1Event;
    const huge = {
      ...structuredClone(pullFailed),
      reason: 'R'.repeat(10_000),
      message: `pull https://user:hunter2@ghcr.io/x failed: ${'x'.repeat(
        1_000_000,
      )}`,
      count: 3,
    };
    const notAnObject = {
      ...structuredClone(pullFailed),
      involvedObject: 'kcd-podinfo',
    } as unknown as CoreV1Event;
    const typedAmiss = like(pullFailed, 'TypedAmiss', {
      apiVersion: 5 as unknown as string,
    });
    const [first, second, ...others] = eventsOf(
      [hostile, huge, notAnObject, typedAmiss],
      ociRepository,
    );
    // Not about the object: left out, and nothing throws.
    expect(others).toEqual([]);
    expect(first).toEqual({
      type: 'Warning',
      reason: `${'R'.repeat(127)}…`,
      message: expect.stringMatching(
        /^pull https:\/\/user:<redacted>@ghcr\.io\/x failed: x+…$/,
      ),
      count: 3,
      firstTimestamp: expect.any(String),
      lastTimestamp: expect.any(String),
      source: expect.any(String),
    });
    expect(first.message).toHaveLength(4096);
    expect(second).toEqual({
      type: 'Normal',
      reason: '',
      message: '',
      count: 1,
      firstTimestamp: undefined,
      lastTimestamp: undefined,
      source: undefined,
    });
  });
});
