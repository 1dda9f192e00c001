import {
  LabelSelectorError,
  matchesLabels,
  parseLabelSelector,
} from './labelSelector';

describe('parseLabelSelector', () => {
  it('parses every operator of the Kubernetes syntax', () => {
    expect(
      parseLabelSelector(
        'app.kubernetes.io/name=ledger, tier==backend,env!=dev,zone in (eu, us),track notin (canary),team,!legacy',
      ),
    ).toEqual([
      { key: 'app.kubernetes.io/name', op: 'in', values: ['ledger'] },
      { key: 'tier', op: 'in', values: ['backend'] },
      { key: 'env', op: 'notin', values: ['dev'] },
      { key: 'zone', op: 'in', values: ['eu', 'us'] },
      { key: 'track', op: 'notin', values: ['canary'] },
      { key: 'team', op: 'exists' },
      { key: 'legacy', op: 'doesnotexist' },
    ]);
  });

  it.each([
    ['', 'the selector is empty'],
    ['app=a b', 'cannot parse'],
    ['app in (a,b', 'unbalanced "("'],
    ['a,,b', 'empty requirement'],
    ['-bad=x', 'a label key'],
    ['Example.COM/app=x', 'DNS subdomain'],
    [`app=${'x'.repeat(64)}`, 'a label value'],
    ['app=$(rm -rf)', 'cannot parse'],
  ])('rejects %j: %s', (selector, error) => {
    expect(() => parseLabelSelector(selector)).toThrow(LabelSelectorError);
    expect(() => parseLabelSelector(selector)).toThrow(error);
  });

  it('accepts an empty value, as Kubernetes does', () => {
    expect(parseLabelSelector('app=')).toEqual([
      { key: 'app', op: 'in', values: [''] },
    ]);
  });
});

describe('matchesLabels', () => {
  const labels = { app: 'ledger', env: 'prod' };
  it.each([
    ['app=ledger', true],
    ['app=payments', false],
    ['env!=dev', true],
    ['missing!=x', true],
    ['env in (dev,prod)', true],
    ['env notin (prod)', false],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['app=ledger,env=dev', false],
  ])('%s → %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('matches nothing but negations on an object without labels', () => {
    expect(matchesLabels(parseLabelSelector('app=ledger'), undefined)).toBe(
      false,
    );
    expect(matchesLabels(parseLabelSelector('!app'), undefined)).toBe(true);
  });
});
