import {
  helmRelease,
  kustomization,
  releaseWithChildren,
} from '../testUtils/objects';
import {
  hideValueFields,
  redactValueFields,
  valuesDocument,
} from './valueFields';

const digest = (v: unknown) => `d(${JSON.stringify(v)})`;

function payments() {
  const hr = helmRelease('payments-api', 'payments', {
    chart: 'payments-api',
    version: '2.4.0',
    source: {
      kind: 'HelmRepository',
      name: 'charts',
      namespace: 'flux-system',
    },
  });
  hr.spec!.values = { replicaCount: 2, db: { password: 'hunter2' } };
  hr.spec!.valuesFrom = [{ kind: 'Secret', name: 'db', valuesKey: 'password' }];
  return hr;
}

describe('value fields', () => {
  it('hides a HelmRelease’s values and valuesFrom, keeping their digests and the rest of the object', () => {
    const hr = payments();
    const { object, hiddenFields } = hideValueFields(hr, digest);
    expect(object.spec!.values).toBeUndefined();
    expect(object.spec!.valuesFrom).toBeUndefined();
    expect(object.spec!.chart).toEqual(hr.spec!.chart);
    expect(hiddenFields).toEqual([
      { path: 'spec.values', digest: digest(hr.spec!.values) },
      { path: 'spec.valuesFrom', digest: digest(hr.spec!.valuesFrom) },
    ]);
    // The object given is left as it was.
    expect(hr.spec!.values).toEqual({
      replicaCount: 2,
      db: { password: 'hunter2' },
    });
  });

  it('hides a KuboCD Release’s parameters and a Kustomization’s substitutions', () => {
    const [release] = releaseWithChildren('podinfo', 'apps', { tag: '1' });
    release.spec!.parameters = { fqdn: 'x' };
    expect(
      hideValueFields(release, digest).hiddenFields.map(f => f.path),
    ).toEqual(['spec.parameters']);
    const ks = kustomization('inventory', 'flux-system', {
      source: { kind: 'GitRepository', name: 'inventory' },
      applied: 'main@sha1:1',
    });
    ks.spec!.postBuild = {
      substitute: { DB_PASSWORD: 'x', REGION: 'eu' },
      substituteFrom: [{ kind: 'Secret', name: 'vars' }],
    };
    const hidden = hideValueFields(ks, digest);
    expect(hidden.hiddenFields.map(f => f.path)).toEqual([
      'spec.postBuild.substitute',
      'spec.postBuild.substituteFrom',
    ]);
    expect(hidden.object.spec!.postBuild).toEqual({});
    expect(redactValueFields(ks)).toMatchObject({
      object: {
        spec: {
          postBuild: {
            substitute: { DB_PASSWORD: '<redacted>', REGION: 'eu' },
            substituteFrom: [{ kind: 'Secret', name: 'vars' }],
          },
        },
      },
      redactedPaths: ['spec.postBuild.substitute.DB_PASSWORD'],
    });
  });

  it('redacts credentials in values but keeps the references of valuesFrom', () => {
    const { object, redactedPaths } = redactValueFields(payments());
    expect(object.spec!.values).toEqual({
      replicaCount: 2,
      db: { password: '<redacted>' },
    });
    expect(object.spec!.valuesFrom).toEqual([
      { kind: 'Secret', name: 'db', valuesKey: 'password' },
    ]);
    expect(redactedPaths).toEqual(['spec.values.db.password']);
  });

  it('builds one document per workload: a Release’s parameters and its HelmReleases’ values', () => {
    const [release, , , hr] = releaseWithChildren('podinfo', 'apps', {
      tag: '1',
    });
    release.spec!.parameters = { fqdn: 'x' };
    hr.spec!.values = { replicaCount: 3 };
    expect(valuesDocument(release, [hr])).toEqual({
      parameters: { fqdn: 'x' },
      helmReleases: { 'podinfo-main': { replicaCount: 3 } },
    });
    expect(valuesDocument(payments(), [])).toEqual({
      replicaCount: 2,
      db: { password: 'hunter2' },
    });
  });
});
