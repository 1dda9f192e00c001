import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { annotatedEntities } from './annotatedEntities';

function component(
  name: string,
  annotations: Record<string, string>,
  owner = 'group:default/team-a',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

const catalog = catalogServiceMock({
  entities: [
    component('e', { 'gitops-promotion/helm-releases': 'apps/e' }),
    component('a', { 'gitops-promotion/kubocd-releases': 'apps/a' }),
    component('c', { 'backstage.io/kubernetes-id': 'c' }),
    component('b', { 'backstage.io/techdocs-ref': 'dir:.' }),
    component(
      'd',
      { 'gitops-promotion/label-selector': 'app=d' },
      'group:default/team-b',
    ),
  ],
});

async function pages(options: Parameters<typeof annotatedEntities>[2]) {
  const result: string[][] = [];
  for await (const page of annotatedEntities(
    catalog,
    mockCredentials.user(),
    options,
  )) {
    result.push(page.map(e => e.metadata.name));
  }
  return result;
}

describe('annotatedEntities', () => {
  it("pages through the entities with this plugin's or the Kubernetes plugin's annotations, by name", async () => {
    expect(await pages({ pageSize: 2 })).toEqual([
      ['a', 'c'],
      ['d', 'e'],
    ]);
  });

  it('reads only the fields asked for, on every page', async () => {
    const read: Entity[][] = [];
    for await (const page of annotatedEntities(
      catalog,
      mockCredentials.user(),
      { pageSize: 2, fields: ['kind', 'metadata.name'] },
    )) {
      read.push(page);
    }
    expect(read).toHaveLength(2);
    for (const entity of read.flat()) {
      expect(entity).toEqual({
        kind: 'Component',
        metadata: { name: entity.metadata.name },
      });
    }
  });

  it('narrows by catalog fields', async () => {
    expect(
      await pages({
        pageSize: 10,
        narrowing: { 'relations.ownedBy': ['group:default/team-b'] },
      }),
    ).toEqual([['d']]);
  });
});
