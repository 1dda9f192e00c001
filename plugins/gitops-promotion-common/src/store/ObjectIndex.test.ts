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

  it('indexes labels by key and value, following updates and removals', () => {
    const index = new ObjectIndex();
    const labelled = (name: string, labels: Record<string, string>) => {
      const [rel] = releaseWithChildren(name, 'apps', { tag: '1.0.0' });
      return { ...rel, metadata: { ...rel.metadata, labels } };
    };
    const a = labelled('a', { team: 'x', tier: 'web' });
    const b = labelled('b', { team: 'x' });
    const c = labelled('c', { team: 'y' });
    [a, b, c].forEach(o => index.upsert('Release', o));

    expect(index.withLabel('Release', 'team', 'x')).toEqual([a, b]);
    expect(index.withLabel('Release', 'tier', 'web')).toEqual([a]);
    expect(index.withLabel('HelmRelease', 'team', 'x')).toEqual([]);

    const moved = labelled('a', { team: 'y' });
    index.upsert('Release', moved);
    expect(index.withLabel('Release', 'team', 'x')).toEqual([b]);
    expect(index.withLabel('Release', 'team', 'y')).toEqual([c, moved]);
    expect(index.withLabel('Release', 'tier', 'web')).toEqual([]);

    index.remove('Release', 'apps', 'b');
    index.replaceKind('Release', [c]);
    expect(index.withLabel('Release', 'team', 'x')).toEqual([]);
    expect(index.withLabel('Release', 'team', 'y')).toEqual([c]);
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
