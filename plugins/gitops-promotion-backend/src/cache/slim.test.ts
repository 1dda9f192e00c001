import {
  KubeObject,
  objectHistory,
} from '@gitops-promotion/backstage-plugin-common';
import {
  classifyObject,
  kindOf,
} from '@gitops-promotion/backstage-plugin-common/server';
import { demoObjects } from '../__testUtils__/demoObjects';
import { realFluxObjects } from '../__testUtils__/realFluxObjects';
import { createHash } from 'node:crypto';
import { slimObject, valuesDigest } from './slim';

describe('slimObject', () => {
  it('keeps what the rules and the journal read of every object real Flux wrote', () => {
    const objects = realFluxObjects().filter(o => kindOf(o));
    expect(objects.length).toBeGreaterThan(50);
    let histories = 0;
    for (const full of objects) {
      const slim = slimObject(kindOf(full)!, full);
      expect(classifyObject(slim)).toEqual(classifyObject(full));
      // The journal times a version by its history entry: which revision,
      // deployed (HelmRelease) or first applied (Kustomization) when.
      const timing = (o: KubeObject) =>
        objectHistory(o).map(h => ({
          revision: h.revision,
          status: h.status,
          at: kindOf(o) === 'HelmRelease' ? h.last : h.first,
        }));
      expect(timing(slim)).toEqual(timing(full));
      if (timing(full).some(h => h.at)) histories++;
    }
    expect(histories).toBeGreaterThan(5);
  });

  it('keeps what the rules read, replaces values by a digest, drops the rest', () => {
    const hr = structuredClone(
      demoObjects('dev-eu')
        .get('HelmRelease')!
        .find(o => o.metadata.name === 'ledger')!,
    );
    (hr.metadata as any).managedFields = [{ manager: 'helm-controller' }];
    hr.metadata.annotations = {
      ...hr.metadata.annotations,
      'kubectl.kubernetes.io/last-applied-configuration': '{"big":true}',
    };
    hr.status!.lastHandledReconcileAt = '2026-11-21T10:00:00.000Z';
    const slim = slimObject('HelmRelease', hr);
    // The drill-down shows it: a person sees when a reconcile request was taken up.
    expect(slim.status?.lastHandledReconcileAt).toBe(
      '2026-11-21T10:00:00.000Z',
    );
    expect((slim.metadata as any).managedFields).toBeUndefined();
    expect(
      slim.metadata.annotations?.[
        'kubectl.kubernetes.io/last-applied-configuration'
      ],
    ).toBeUndefined();
    expect(slim.spec?.values).toBeUndefined();
    expect(slim.spec?.valuesDigest).toBe(valuesDigest(hr.spec!.values));
    expect(classifyObject(slim)).toEqual(classifyObject(hr));
    expect(JSON.stringify(slim).length).toBeLessThan(JSON.stringify(hr).length);
  });

  it('bounds conditions: the first of each type, at most 32 with the deciding ones, messages cut', () => {
    const hr = structuredClone(
      realFluxObjects().find(
        o => kindOf(o) === 'HelmRelease' && o.status?.conditions?.length,
      )!,
    );
    const real = hr.status!.conditions!;
    const junk = Array.from({ length: 100_000 }, (_, i) => ({
      type: `T${i}`,
      status: 'False' as const,
      message: 'x'.repeat(100),
    }));
    hr.status!.conditions = [
      ...junk,
      { ...real[0], message: `${'m'.repeat(20_000)} https://u:pw@h/x` },
      ...real,
      { type: 'Ready', status: 'True' as const, reason: 'Shadowed' },
    ];
    const slim = slimObject('HelmRelease', hr);
    const conditions = slim.status!.conditions!;
    expect(conditions).toHaveLength(32);
    const types = conditions.map(c => c.type);
    expect(new Set(types).size).toBe(32);
    // The deciding conditions are kept wherever they stood, as first written.
    for (const c of real.filter(r =>
      ['Ready', 'Stalled', 'Reconciling'].includes(r.type),
    )) {
      expect(types).toContain(c.type);
    }
    expect(conditions.find(c => c.type === 'Ready')?.reason).not.toBe(
      'Shadowed',
    );
    const first = conditions.find(c => c.type === real[0].type)!;
    expect(first.message).toHaveLength(4096);
    expect(first.message).toMatch(/^m+…$/);
  });

  it("keeps a HelmRelease's failure handling and counters, nothing else of install and upgrade", () => {
    const hr = structuredClone(
      demoObjects('dev-eu')
        .get('HelmRelease')!
        .find(o => o.metadata.name === 'ledger')!,
    );
    hr.spec = {
      ...hr.spec,
      install: { crds: 'CreateReplace', remediation: { retries: 2 } },
      upgrade: {
        timeout: '10m',
        strategy: { name: 'RetryOnFailure', retryInterval: '2m' },
        remediation: {
          retries: 3,
          strategy: 'uninstall',
          ignoreTestFailures: true,
        },
      },
    };
    hr.status = { ...hr.status, installFailures: 1, upgradeFailures: 3 };
    const slim = slimObject('HelmRelease', hr);
    expect(slim.spec?.install).toEqual({ remediation: { retries: 2 } });
    expect(slim.spec?.upgrade).toEqual({
      strategy: { name: 'RetryOnFailure', retryInterval: '2m' },
      remediation: { retries: 3, strategy: 'uninstall' },
    });
    expect(slim.status).toMatchObject({
      installFailures: 1,
      upgradeFailures: 3,
    });
  });

  it('shares the parts that repeat across clusters, and only equal ones', () => {
    const hr = demoObjects('dev-eu')
      .get('HelmRelease')!
      .find(o => o.metadata.name === 'ledger')!;
    const inOtherCluster = structuredClone(hr);
    inOtherCluster.metadata.uid = 'another-uid';
    const a = slimObject('HelmRelease', hr);
    const b = slimObject('HelmRelease', inOtherCluster);
    expect(b.spec).toBe(a.spec);
    expect(b.metadata).not.toBe(a.metadata);
    expect(b.status!.conditions).not.toBe(a.status!.conditions);

    const otherVersion = structuredClone(hr);
    (otherVersion.spec!.chart as any).spec.version = '99.0.0';
    const c = slimObject('HelmRelease', otherVersion);
    expect(c.spec).not.toBe(a.spec);
    expect((c.spec!.chart as any).spec.version).toBe('99.0.0');
  });

  it('classifies every demo object the same slimmed or not', () => {
    for (const cluster of [
      'sandbox-alice',
      'dev-eu',
      'staging-eu',
      'prod-eu',
    ]) {
      for (const [kind, objects] of demoObjects(cluster)) {
        for (const obj of objects) {
          expect([
            cluster,
            obj.metadata.name,
            classifyObject(slimObject(kind, obj as KubeObject)),
          ]).toEqual([cluster, obj.metadata.name, classifyObject(obj)]);
        }
      }
    }
  });

  it('gives equal values the same digest whatever the key order', () => {
    expect(valuesDigest({ a: 1, b: { c: 2, d: 3 } })).toBe(
      valuesDigest({ b: { d: 3, c: 2 }, a: 1 }),
    );
    expect(valuesDigest({ a: 1 })).not.toBe(valuesDigest({ a: 2 }));
  });
});

describe('valuesDigest', () => {
  it('digests values nested deeper than the stack allows, comparing their first levels', () => {
    const nested = (depth: number, leaf: unknown) => {
      const root: Record<string, unknown> = {};
      let at = root;
      for (let i = 1; i < depth; i++) at = (at.a = {}) as typeof root;
      at.a = leaf;
      return root;
    };
    // The API server accepts a schema-less spec.values nested 10,000 deep.
    expect(valuesDigest(nested(20_000, 1))).toMatch(/^spec-sha256:/);
    expect(valuesDigest(nested(50, 1))).not.toBe(valuesDigest(nested(50, 2)));
  });

  const sha = (json: string) =>
    `spec-sha256:${createHash('sha256').update(json).digest('hex')}`;

  it('hashes canonical JSON: keys sorted by code unit at every depth, whatever the locale', () => {
    // localeCompare would put "a" before "B" and "é" before "f".
    const value = { f: 1, é: { z: [{ b: 2, a: 1 }], B: 0 }, a: 1, B: 2 };
    expect(valuesDigest(value)).toBe(
      sha('{"B":2,"a":1,"f":1,"é":{"B":0,"z":[{"a":1,"b":2}]}}'),
    );
    expect(
      valuesDigest({ B: 2, a: 1, f: 1, é: { B: 0, z: [{ a: 1, b: 2 }] } }),
    ).toBe(valuesDigest(value));
  });
});
