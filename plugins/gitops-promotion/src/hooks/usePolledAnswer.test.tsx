import { coreApis } from '@backstage/frontend-plugin-api';
import { mockApis, TestApiProvider } from '@backstage/frontend-test-utils';
import { act, renderHook, waitFor } from '@testing-library/react';
import { ReactNode } from 'react';
import { usePolledAnswer } from './usePolledAnswer';

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => state,
  });
  act(() => {
    document.dispatchEvent(new Event('visibilitychange'));
  });
}

describe('usePolledAnswer', () => {
  afterEach(() => setVisibility('visible'));

  it('keeps the newer answer when an older request overlapping it answers last', async () => {
    // Each load waits until the test answers it.
    const pending: Array<(value: string) => void> = [];
    const load = () => new Promise<string>(resolve => pending.push(resolve));
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider
        apis={[[coreApis.config, mockApis.config({ data: {} })]]}
      >
        {children}
      </TestApiProvider>
    );
    const { result } = renderHook(
      () => usePolledAnswer('view', load, () => false),
      { wrapper },
    );
    await waitFor(() => expect(pending).toHaveLength(1));
    act(() => pending[0]('first'));
    await waitFor(() => expect(result.current.value).toBe('first'));

    // Hidden: a refresh asks at once; shown again: the poll asks too.
    setVisibility('hidden');
    act(() => result.current.refresh());
    setVisibility('visible');
    await waitFor(() => expect(pending).toHaveLength(3));
    act(() => pending[2]('newer'));
    await waitFor(() => expect(result.current.value).toBe('newer'));
    await act(async () => pending[1]('older'));
    expect(result.current.value).toBe('newer');
  });

  it('asks less often while it fails, up to every 5 minutes, and at the interval again once answered', async () => {
    jest.useFakeTimers();
    try {
      let failing = true;
      const asked: number[] = [];
      const load = async () => {
        asked.push(Date.now());
        if (failing) throw new Error('503 Service Unavailable');
        return 'view';
      };
      const wrapper = ({ children }: { children: ReactNode }) => (
        <TestApiProvider
          apis={[
            [
              coreApis.config,
              mockApis.config({
                data: { gitopsPromotion: { refreshInterval: '10s' } },
              }),
            ],
          ]}
        >
          {children}
        </TestApiProvider>
      );
      const { result } = renderHook(
        () => usePolledAnswer('view', load, () => false),
        { wrapper },
      );
      await act(async () => {
        await jest.advanceTimersByTimeAsync(20 * 60_000);
      });
      const pauses = asked.slice(1).map((at, i) => (at - asked[i]) / 1000);
      // 20 s, 40 s, 80 s, 160 s, then every 300 s: not every 10 s.
      expect(pauses.slice(0, 6)).toEqual([20, 40, 80, 160, 300, 300]);
      expect(result.current.error?.message).toBe('503 Service Unavailable');

      // Answered again (a refresh asks at once): every 10 s from then on.
      failing = false;
      await act(async () => {
        result.current.refresh();
        await jest.advanceTimersByTimeAsync(0);
      });
      expect(result.current.value).toBe('view');
      const answeredAt = asked.length;
      await act(async () => {
        await jest.advanceTimersByTimeAsync(30_000);
      });
      expect(asked.length - answeredAt).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });
});
