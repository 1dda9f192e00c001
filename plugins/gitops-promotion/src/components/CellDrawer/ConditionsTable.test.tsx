import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { ConditionsTable } from './ConditionsTable';

describe('ConditionsTable', () => {
  it('keeps a reason on one line, but lets one longer than a word wrap inside the drawer', async () => {
    const hostile = 'A,'.repeat(200).concat('B');
    await renderInTestApp(
      <ConditionsTable
        name="OCIRepository apps/kcd-podinfo"
        now={Date.parse('2026-12-06T12:00:00Z')}
        conditions={[
          { type: 'Ready', status: 'False', reason: 'AuthenticationFailed' },
          { type: 'Reconciling', status: 'True', reason: hostile },
        ]}
      />,
    );
    const style = (text: string) =>
      getComputedStyle(screen.getByRole('cell', { name: text }));
    expect(style('AuthenticationFailed').whiteSpace).toBe('nowrap');
    expect(style(hostile).whiteSpace).not.toBe('nowrap');
    expect(style(hostile).overflowWrap).toBe('anywhere');
  });
});
