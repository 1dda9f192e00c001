import { entitySelectors, hasPromotionAnnotations } from './entitySelectors';

describe('entitySelectors', () => {
  it('reads the name lists with and without namespace', () => {
    const result = entitySelectors({
      'gitops-promotion/kubocd-releases': 'apps/podinfo, redis',
      'gitops-promotion/helm-releases': 'payments/payments-api',
      'gitops-promotion/kustomizations': 'flux-system/inventory-service',
    });
    expect(result.problems).toEqual([]);
    expect(result.selectors).toEqual([
      {
        kind: 'Release',
        namespace: 'apps',
        name: 'podinfo',
        annotation: 'gitops-promotion/kubocd-releases',
      },
      {
        kind: 'Release',
        namespace: undefined,
        name: 'redis',
        annotation: 'gitops-promotion/kubocd-releases',
      },
      {
        kind: 'HelmRelease',
        namespace: 'payments',
        name: 'payments-api',
        annotation: 'gitops-promotion/helm-releases',
      },
      {
        kind: 'Kustomization',
        namespace: 'flux-system',
        name: 'inventory-service',
        annotation: 'gitops-promotion/kustomizations',
      },
    ]);
  });

  it('turns a label selector into one selector per workload kind', () => {
    const { selectors } = entitySelectors({
      'gitops-promotion/label-selector': 'app.kubernetes.io/name=ledger',
    });
    expect(selectors.map(s => s.kind)).toEqual([
      'Release',
      'HelmRelease',
      'Kustomization',
    ]);
    expect(
      selectors.every(s => s.labelSelector === 'app.kubernetes.io/name=ledger'),
    ).toBe(true);
  });

  it.each([
    [
      'gitops-promotion/kubocd-releases',
      'Podinfo_Bad!',
      'not a valid Release name',
    ],
    ['gitops-promotion/kubocd-releases', 'apps/x/y', 'more than one "/"'],
    [
      'gitops-promotion/helm-releases',
      'Apps/payments',
      'not a valid namespace',
    ],
    ['gitops-promotion/helm-releases', 'a,,b', 'an empty entry'],
    [
      'gitops-promotion/kustomizations',
      `x${'a'.repeat(253)}`,
      'not a valid Kustomization name',
    ],
    [
      'gitops-promotion/label-selector',
      'app in (a',
      'not a valid Kubernetes label selector',
    ],
  ])('names %s when its value %j is invalid', (annotation, value, message) => {
    const result = entitySelectors({ [annotation]: value });
    // The value as written, cut at 200 characters.
    const shown = value.length > 200 ? `${value.slice(0, 199)}…` : value;
    expect(result.problems).toEqual([
      expect.objectContaining({ annotation, value: shown }),
    ]);
    expect(result.problems[0].message).toContain(message);
  });

  it('keeps the valid entries of a list with a bad one', () => {
    const result = entitySelectors({
      'gitops-promotion/kubocd-releases': 'podinfo, Bad_Name',
    });
    expect(result.selectors.map(s => s.name)).toEqual(['podinfo']);
    expect(result.problems).toHaveLength(1);
  });

  it('reports a few of many bad entries, each briefly, however long the annotation', () => {
    // 8,000 empty entries: one problem each, each repeating the value,
    // made a view of hundreds of megabytes.
    const value = `podinfo${','.repeat(99)}`;
    const result = entitySelectors({
      'gitops-promotion/kubocd-releases': value,
      'gitops-promotion/helm-releases': `${'x'.repeat(300)}/a/b`,
    });
    expect(result.selectors.map(s => s.name)).toEqual(['podinfo']);
    const messages = result.problems.map(p => p.message);
    expect(messages).toEqual([
      ...Array(5).fill(
        'an empty entry: write a comma list of [namespace/]name',
      ),
      'and 94 more entries that cannot be used',
      `"${'x'.repeat(79)}…" has more than one "/": write [namespace/]name`,
    ]);
    for (const p of result.problems) {
      expect(p.value.length).toBeLessThanOrEqual(200);
    }
  });

  it('reads no more than 100 entries or 8,192 characters of a list, and 1,024 of a label selector', () => {
    const names = (n: number) =>
      Array.from({ length: n }, (_, i) => `w${i}`).join(',');
    expect(
      entitySelectors({ 'gitops-promotion/helm-releases': names(100) })
        .selectors,
    ).toHaveLength(100);
    const tooMany = entitySelectors({
      'gitops-promotion/helm-releases': names(101),
    });
    expect(tooMany.selectors).toEqual([]);
    expect(tooMany.problems.map(p => p.message)).toEqual([
      '101 entries, more than the 100 read: select this many workloads with a label selector',
    ]);
    const tooLong = entitySelectors({
      'gitops-promotion/helm-releases': 'a,'.repeat(40_000),
    });
    expect(tooLong.problems.map(p => p.message)).toEqual([
      '80000 characters, more than the 8192 read: list fewer workloads, or select them with a label selector',
    ]);
    expect(tooLong.problems[0].value).toHaveLength(200);
    const selector = entitySelectors({
      'gitops-promotion/label-selector': Array(300).fill('!zz').join(','),
    });
    expect(selector.selectors).toEqual([]);
    expect(selector.problems.map(p => p.message)).toEqual([
      '1199 characters, more than the 1024 a label selector may have here',
    ]);
  });

  describe('Kubernetes plugin fallback', () => {
    it('selects the backstage.io/kubernetes-id label', () => {
      const { selectors } = entitySelectors({
        'backstage.io/kubernetes-id': 'notification-service',
      });
      expect(selectors[0]).toMatchObject({
        labelSelector: 'backstage.io/kubernetes-id=notification-service',
        annotation: 'backstage.io/kubernetes-id',
      });
    });

    it('prefers the label selector annotation, restricted to the namespace annotation', () => {
      const { selectors } = entitySelectors({
        'backstage.io/kubernetes-id': 'x',
        'backstage.io/kubernetes-label-selector': 'app=notify',
        'backstage.io/kubernetes-namespace': 'notify',
      });
      expect(selectors[0]).toMatchObject({
        labelSelector: 'app=notify',
        namespace: 'notify',
      });
    });

    it('is ignored as soon as one of the plugin annotations is set', () => {
      const { selectors } = entitySelectors({
        'backstage.io/kubernetes-id': 'x',
        'gitops-promotion/kubocd-releases': 'podinfo',
      });
      expect(selectors).toHaveLength(1);
      expect(selectors[0].kind).toBe('Release');
    });

    it.each(['not a label', 'payments,!team', 'a, b notin (x)'])(
      'reports a kubernetes-id that cannot be a label value (%s) under its own annotation, and selects nothing',
      id => {
        const result = entitySelectors({ 'backstage.io/kubernetes-id': id });
        expect(result.selectors).toEqual([]);
        expect(result.problems).toEqual([
          expect.objectContaining({
            annotation: 'backstage.io/kubernetes-id',
            value: id,
            message: expect.stringContaining(
              'not a valid Kubernetes label value',
            ),
          }),
        ]);
      },
    );
  });
});

describe('hasPromotionAnnotations', () => {
  it.each([
    [{ 'gitops-promotion/kubocd-releases': 'podinfo' }, true],
    [{ 'backstage.io/kubernetes-id': 'x' }, true],
    [{ 'backstage.io/kubernetes-namespace': 'x' }, false],
    [{ 'gitops-promotion/helm-releases': '  ' }, false],
    [undefined, false],
  ])('%j → %s', (annotations, expected) => {
    expect(
      hasPromotionAnnotations(
        annotations as Record<string, string> | undefined,
      ),
    ).toBe(expected);
  });
});
