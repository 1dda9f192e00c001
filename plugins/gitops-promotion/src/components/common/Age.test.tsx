import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { Age } from './Age';

describe('Age', () => {
  const now = Date.parse('2026-12-06T12:00:00Z');

  it('shows how long ago, with the exact time on hover in the app’s language', async () => {
    await renderInTestApp(<Age time="2026-12-06T11:55:07Z" now={now} />);
    const time = screen.getByText('4m');
    expect(time.tagName).toBe('TIME');
    expect(time).toHaveAttribute('datetime', '2026-12-06T11:55:07Z');
    // The app's language (English here) to the second, not the browser's
    // locale default ("12/6/2026, 11:55:07 AM").
    const exact = new Intl.DateTimeFormat('en', {
      dateStyle: 'medium',
      timeStyle: 'medium',
    }).format(new Date('2026-12-06T11:55:07Z'));
    expect(time).toHaveAttribute('title', exact);
  });

  it('shows a dash and no hover for a time that is none (read from a cluster)', async () => {
    await renderInTestApp(<Age time="yesterday" now={now} />);
    const time = screen.getByText('–');
    expect(time).not.toHaveAttribute('title');
  });
});
