import { renderInTestApp } from '@backstage/frontend-test-utils';
import { act, screen } from '@testing-library/react';
import { useState } from 'react';
import { ClusterErrorsBanner } from './ClusterErrorsBanner';

describe('ClusterErrorsBanner', () => {
  it('announces an error when it appears, not again at every tick of its age', async () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    const errors = [
      {
        cluster: 'prod-us',
        type: 'UNREACHABLE' as const,
        message: 'Cannot reach the API server of cluster prod-us.',
        since: '2026-12-06T11:55:00Z',
        lastSyncedAt: '2026-12-06T11:54:00Z',
      },
    ];
    // The clock the tab passes down, moved on from the test.
    let tick: (now: number) => void = () => {};
    function Ticking() {
      const [clock, setClock] = useState(now);
      tick = setClock;
      return <ClusterErrorsBanner errors={errors} now={clock} />;
    }
    await renderInTestApp(<Ticking />);
    // The age is a <time> inside the sentence.
    const sentence = (text: RegExp) =>
      screen.getByText(
        (_, el) => el?.tagName === 'P' && text.test(el.textContent ?? ''),
      );
    const announced = screen.getByRole('alert');
    const said =
      'prod-us: cannot reach the API serverCannot reach the API server of cluster prod-us.';
    expect(announced.textContent).toBe(said);
    expect(sentence(/^Since 5m ago/)).toBeInTheDocument();

    act(() => tick(now + 60_000));
    // The visible age moved on; the live region's text did not change.
    expect(sentence(/^Since 6m ago/)).toBeInTheDocument();
    expect(screen.getByRole('alert')).toBe(announced);
    expect(announced.textContent).toBe(said);
    expect(screen.getAllByRole('alert')).toHaveLength(1);
  });
});
