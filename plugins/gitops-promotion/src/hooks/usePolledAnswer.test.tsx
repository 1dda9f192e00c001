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
});
