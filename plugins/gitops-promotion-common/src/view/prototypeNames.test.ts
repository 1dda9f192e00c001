import {
  helmChart,
  helmRelease,
  helmRepository,
  kustomization,
  notReady,
  releaseWithChildren,
} from '../testUtils/objects';
import { kindOf } from '../kinds';
import { matchesLabels } from '../entity/labelSelector';
import { changedKeys } from '../values/changedKeys';
import { ObjectIndex } from '../store/ObjectIndex';
import { KubeObject } from '../types/objects';
import { WorkloadSelector } from '../types/view';
import { buildPromotionView } from './buildPromotionView';

// Names of Object.prototype's members, as a hostile or unlucky cluster may
// write them in a phase, a reason or a source kind: they must read as
// unknown strings, never as the inherited members of a lookup table.
const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];

function viewOf(objects: KubeObject[], selector: WorkloadSelector) {
  const store = new ObjectIndex();
  for (const obj of objects) store.upsert(kindOf(obj)!, obj);
  const view = buildPromotionView({
    entityRef: 'component:default/podinfo',
    environments: [{ name: 'production', clusters: [{ cluster: 'prod-eu' }] }],
    selectors: [selector],
    clusters: new Map([
      ['prod-eu', { store, errors: [], hasData: () => true }],
    ]),
    now: new Date('2026-11-21T10:00:00Z'),
  });
  return view.workloads[0].cells[0];
}

describe.each(NAMES)('a cluster string named %s', name => {
  it('is an unrecognised KuboCD phase', () => {
    const cell = viewOf(
      releaseWithChildren('podinfo', 'apps', { tag: '6.7.1-p01', phase: name }),
      { kind: 'Release', name: 'podinfo', annotation: 'a' },
    );
    expect(cell.state).toBe('Unknown');
    expect(cell.clusters[0].message).toBe(`Unrecognised KuboCD phase ${name}.`);
  });

  it('is a failure reason like any other, not a Helm action', () => {
    const hr = helmRelease('payments-api', 'payments', {
      chart: 'payments-api',
      version: '2.4.0',
      source: { kind: 'HelmRepository', name: 'charts' },
      conditions: [notReady(name, 'it broke')],
    });
    const sources = [
      helmChart('payments-payments-api', 'payments', {
        chart: 'payments-api',
        version: '2.4.0',
        source: { kind: 'HelmRepository', name: 'charts' },
      }),
      helmRepository('charts', 'payments', {
        url: 'https://charts.example.com',
      }),
    ];
    const cell = viewOf([hr, ...sources], {
      kind: 'HelmRelease',
      name: 'payments-api',
      annotation: 'a',
    });
    expect(cell.state).toBe('Failed');
    expect(cell.clusters[0].rootCause?.summary).not.toMatch(/native code/);
    expect(cell.clusters[0].rootCause?.summary).toContain('it broke');
  });

  it('is a source kind the chain does not know', () => {
    const ks = kustomization('inventory', 'flux-system', {
      source: { kind: name, name: 'inventory' },
      applied: 'main@sha1:0123456789abcdef',
    });
    const cell = viewOf([ks], {
      kind: 'Kustomization',
      name: 'inventory',
      annotation: 'a',
    });
    expect(cell.clusters[0].chain.map(l => l.ref.kind)).toEqual([
      'Kustomization',
    ]);
  });

  it('is a label key no workload has', () => {
    expect(
      matchesLabels([{ key: name, op: 'exists' }], { app: 'podinfo' }),
    ).toBe(false);
    expect(
      matchesLabels([{ key: name, op: 'doesnotexist' }], { app: 'podinfo' }),
    ).toBe(true);
  });

  it('is a values key added, not one both sides have', () => {
    expect(
      changedKeys({ a: 1 }, JSON.parse(`{"a":1,"${name}":{"b":2}}`)),
    ).toEqual([name]);
  });
});
