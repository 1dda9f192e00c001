import { mockServices } from '@backstage/backend-test-utils';
import { SignalPayload } from '@backstage/plugin-signals-node';
import { PromotionChangesSignal } from '@gitops-promotion/backstage-plugin-common';
import { ChangeSignals, VIEW_INTEREST_MS } from './ChangeSignals';

function recorder(fail?: () => Error | undefined) {
  const sent: SignalPayload[] = [];
  return {
    sent,
    messages: () => sent.map(s => s.message as PromotionChangesSignal),
    service: {
      async publish(signal: SignalPayload<any>) {
        const error = fail?.();
        if (error) throw error;
        sent.push(signal);
      },
    },
  };
}

const reads = (entries: Record<string, string[] | undefined>) =>
  new Map(
    Object.entries(entries).map(([cluster, ns]) => [
      cluster,
      ns && new Set(ns),
    ]),
  );

function changeSignals(
  signals: ReturnType<typeof recorder>,
  logger = mockServices.logger.mock(),
) {
  return new ChangeSignals(signals.service, logger, 1000);
}

/** alice looks at podinfo's view, which reads these namespaces. */
const alicePodinfo = (
  changes: ChangeSignals,
  read: Record<string, string[] | undefined>,
) =>
  changes.noteView(
    'user:default/alice',
    'component:default/podinfo',
    reads(read),
  );

describe('ChangeSignals', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('tells each user, once per interval, of the changes their views read', async () => {
    const signals = recorder();
    const changes = changeSignals(signals);
    alicePodinfo(changes, { 'prod-eu': ['apps'], 'staging-eu': ['apps'] });
    changes.noteView(
      'user:default/bob',
      'component:default/web',
      reads({ 'prod-eu': undefined }),
    );
    changes.record('prod-eu', 'apps');
    changes.record('prod-eu', 'shop');
    changes.record('prod-eu', 'apps');
    changes.record('staging-eu', 'apps');
    changes.record('dev-eu', 'apps');
    expect(signals.sent).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1000);
    expect(signals.sent).toEqual([
      {
        recipients: { type: 'user', entityRef: ['user:default/alice'] },
        channel: 'gitops-promotion:changes',
        message: {
          changes: [
            { cluster: 'prod-eu', namespaces: ['apps'] },
            { cluster: 'staging-eu', namespaces: ['apps'] },
          ],
        },
      },
      {
        recipients: { type: 'user', entityRef: ['user:default/bob'] },
        channel: 'gitops-promotion:changes',
        message: {
          changes: [{ cluster: 'prod-eu', namespaces: ['apps', 'shop'] }],
        },
      },
    ]);
    // Nothing new: nothing sent, and no timer left running.
    await jest.advanceTimersByTimeAsync(5000);
    expect(signals.sent).toHaveLength(2);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('sends one signal to the users told the same, merging a user’s views', async () => {
    const signals = recorder();
    const changes = changeSignals(signals);
    const apps = reads({ 'prod-eu': ['apps'] });
    changes.noteView('user:default/alice', 'component:default/podinfo', apps);
    changes.noteView('user:default/bob', 'component:default/podinfo', apps);
    changes.noteView(
      'user:default/bob',
      'component:default/shop',
      reads({ 'prod-eu': ['shop'] }),
    );
    changes.record('prod-eu', 'apps');
    await jest.advanceTimersByTimeAsync(1000);
    changes.record('prod-eu', 'apps');
    changes.record('prod-eu', 'shop');
    await jest.advanceTimersByTimeAsync(1000);
    expect(signals.sent.map(s => [s.recipients, s.message])).toEqual([
      [
        {
          type: 'user',
          entityRef: ['user:default/alice', 'user:default/bob'],
        },
        { changes: [{ cluster: 'prod-eu', namespaces: ['apps'] }] },
      ],
      [
        { type: 'user', entityRef: ['user:default/alice'] },
        { changes: [{ cluster: 'prod-eu', namespaces: ['apps'] }] },
      ],
      [
        { type: 'user', entityRef: ['user:default/bob'] },
        { changes: [{ cluster: 'prod-eu', namespaces: ['apps', 'shop'] }] },
      ],
    ]);
  });

  it('sends nothing when no view reads the change, and forgets views nobody asked for again', async () => {
    const signals = recorder();
    const changes = changeSignals(signals);
    alicePodinfo(changes, { 'prod-eu': ['apps'] });
    changes.record('prod-eu', 'shop');
    await jest.advanceTimersByTimeAsync(1000);
    expect(signals.sent).toHaveLength(0);

    await jest.advanceTimersByTimeAsync(VIEW_INTEREST_MS);
    changes.record('prod-eu', 'apps');
    await jest.advanceTimersByTimeAsync(1000);
    expect(signals.sent).toHaveLength(0);
  });

  it('sends a cluster-wide change when no namespace is known or too many changed', async () => {
    const signals = recorder();
    const changes = changeSignals(signals);
    alicePodinfo(changes, { 'prod-eu': ['apps'], 'staging-eu': undefined });
    changes.record('prod-eu', 'apps');
    changes.record('prod-eu'); // a relist
    changes.record('prod-eu', 'shop');
    for (let i = 0; i <= 50; i++) changes.record('staging-eu', `team-${i}`);
    await jest.advanceTimersByTimeAsync(1000);
    expect(signals.messages()).toEqual([
      { changes: [{ cluster: 'prod-eu' }, { cluster: 'staging-eu' }] },
    ]);
  });

  it('logs once while the signals service fails and keeps recording', async () => {
    let failure: Error | undefined = new Error('events bus down');
    const signals = recorder(() => failure);
    const logger = mockServices.logger.mock();
    const changes = changeSignals(signals, logger);
    alicePodinfo(changes, { 'prod-eu': ['apps'], 'dev-eu': ['apps'] });
    changes.record('prod-eu', 'apps');
    await jest.advanceTimersByTimeAsync(1000);
    changes.record('prod-eu', 'apps');
    await jest.advanceTimersByTimeAsync(1000);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      'Cannot send change signals (events bus down); open Promotion tabs fall back to polling',
    );
    failure = undefined;
    changes.record('dev-eu', 'apps');
    await jest.advanceTimersByTimeAsync(1000);
    expect(signals.messages()).toEqual([
      { changes: [{ cluster: 'dev-eu', namespaces: ['apps'] }] },
    ]);
    expect(logger.info).toHaveBeenCalledWith('Change signals are sent again');
  });

  it('drops what is pending when stopped', async () => {
    const signals = recorder();
    const changes = changeSignals(signals);
    alicePodinfo(changes, { 'prod-eu': ['apps'] });
    changes.record('prod-eu', 'apps');
    changes.stop();
    await jest.advanceTimersByTimeAsync(2000);
    expect(signals.sent).toHaveLength(0);
  });
});
