import { mockServices } from '@backstage/backend-test-utils';
import { SignalPayload } from '@backstage/plugin-signals-node';
import { PromotionChangesSignal } from '@gitops-promotion/backstage-plugin-common';
import { ChangeSignals } from './ChangeSignals';

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

describe('ChangeSignals', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('broadcasts the changes of one interval as one signal on the channel', async () => {
    const signals = recorder();
    const changes = new ChangeSignals(
      signals.service,
      mockServices.logger.mock(),
      1000,
    );
    changes.record('prod-eu', 'apps');
    changes.record('prod-eu', 'shop');
    changes.record('prod-eu', 'apps');
    changes.record('staging-eu', 'apps');
    expect(signals.sent).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1000);
    expect(signals.sent).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: 'gitops-promotion:changes',
        message: {
          changes: [
            { cluster: 'prod-eu', namespaces: ['apps', 'shop'] },
            { cluster: 'staging-eu', namespaces: ['apps'] },
          ],
        },
      },
    ]);
    // Nothing new: nothing sent, and no timer left running.
    await jest.advanceTimersByTimeAsync(5000);
    expect(signals.sent).toHaveLength(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('sends a cluster-wide change when no namespace is known or too many changed', async () => {
    const signals = recorder();
    const changes = new ChangeSignals(
      signals.service,
      mockServices.logger.mock(),
    );
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
    const changes = new ChangeSignals(signals.service, logger);
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
    const changes = new ChangeSignals(
      signals.service,
      mockServices.logger.mock(),
    );
    changes.record('prod-eu', 'apps');
    changes.stop();
    await jest.advanceTimersByTimeAsync(2000);
    expect(signals.sent).toHaveLength(0);
  });
});
