import { helmRelease, releaseWithChildren } from '../testUtils/objects';
import { ObjectIndex } from './ObjectIndex';

describe('ObjectIndex', () => {
  it('indexes by namespace/name, by name and by controller owner, and forgets removed objects', () => {
    const index = new ObjectIndex();
    const [rel, oci, repo, hr, chart] = releaseWithChildren('podinfo', 'apps', {
      tag: '1.0.0',
    });
    index.upsert('Release', rel);
    index.upsert('OCIRepository', oci);
    index.upsert('HelmRepository', repo);
    index.upsert('HelmRelease', hr);
    index.upsert('HelmChart', chart);
    const other = helmRelease('podinfo-main', 'other', {
      chart: 'x',
      version: '1',
      source: { kind: 'HelmRepository', name: 'x' },
    });
    index.upsert('HelmRelease', other);

    expect(index.get('OCIRepository', 'apps', 'kcd-podinfo')).toBe(oci);
    expect(index.byName('HelmRelease', 'podinfo-main')).toHaveLength(2);
    expect(
      index
        .ownedBy(rel.metadata.uid!)
        .map(o => o.kind)
        .sort(),
    ).toEqual(['HelmRelease', 'HelmRepository', 'OCIRepository']);
    expect(index.size()).toBe(6);

    index.remove('HelmRelease', 'apps', 'podinfo-main');
    expect(index.byName('HelmRelease', 'podinfo-main')).toEqual([other]);
    expect(index.ownedBy(rel.metadata.uid!)).toHaveLength(2);
  });

  it('moves an object between owners on update', () => {
    const index = new ObjectIndex();
    const [rel, oci] = releaseWithChildren('podinfo', 'apps', { tag: '1.0.0' });
    index.upsert('OCIRepository', oci);
    const orphan = {
      ...oci,
      metadata: { ...oci.metadata, ownerReferences: [] },
    };
    index.upsert('OCIRepository', orphan);
    expect(index.ownedBy(rel.metadata.uid!)).toEqual([]);
    expect(index.get('OCIRepository', 'apps', 'kcd-podinfo')).toBe(orphan);
  });

  it('replaces a whole kind on relist', () => {
    const index = new ObjectIndex();
    const [rel] = releaseWithChildren('a', 'apps', { tag: '1.0.0' });
    const [rel2] = releaseWithChildren('b', 'apps', { tag: '1.0.0' });
    index.upsert('Release', rel);
    index.replaceKind('Release', [rel2]);
    expect([...index.list('Release')]).toEqual([rel2]);
    expect(index.byName('Release', 'a')).toEqual([]);
  });
});
