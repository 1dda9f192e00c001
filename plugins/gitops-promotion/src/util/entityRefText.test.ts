import { entityRefText } from './entityRefText';

describe('entityRefText', () => {
  it('leaves out the default kind and the default namespace, unless the namespace is asked for', () => {
    expect(
      entityRefText('group:default/team-a', { defaultKind: 'group' }),
    ).toBe('team-a');
    expect(
      entityRefText('group:platform/team-a', { defaultKind: 'Group' }),
    ).toBe('platform/team-a');
    expect(entityRefText('user:default/jane', { defaultKind: 'group' })).toBe(
      'user:jane',
    );
    expect(
      entityRefText('component:default/payments-api', {
        defaultKind: 'component',
        namespace: 'always',
      }),
    ).toBe('default/payments-api');
  });
});
