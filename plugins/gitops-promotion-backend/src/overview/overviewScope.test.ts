import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { MAX_DEPTH, overviewNarrowing } from './overviewScope';

function group(name: string, parent?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: parent
      ? [{ type: 'childOf', targetRef: `group:default/${parent}` }]
      : [],
  };
}

/** A chain of groups, g0 at the top, each the only child of the one before. */
function chain(length: number): Entity[] {
  return Array.from({ length }, (_, i) =>
    group(`g${i}`, i > 0 ? `g${i - 1}` : undefined),
  );
}

async function narrow(entities: Entity[]) {
  const logger = mockServices.logger.mock();
  const narrowing = await overviewNarrowing(
    catalogServiceMock({ entities }),
    mockCredentials.user(),
    entities[0],
    logger,
  );
  return { narrowing, logger };
}

describe('overviewNarrowing', () => {
  it(`follows ${MAX_DEPTH} levels of child groups without a warning`, async () => {
    const { narrowing, logger } = await narrow(chain(MAX_DEPTH + 1));
    expect(narrowing).toEqual({
      'relations.ownedBy': chain(MAX_DEPTH + 1).map(
        g => `group:default/${g.metadata.name}`,
      ),
    });
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('cuts a deeper tree with a warning naming where', async () => {
    const { narrowing, logger } = await narrow(chain(MAX_DEPTH + 3));
    expect(
      (narrowing as { 'relations.ownedBy': string[] })['relations.ownedBy'],
    ).toHaveLength(MAX_DEPTH + 1);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      `Promotion overview of group:default/g0: child groups more than ${MAX_DEPTH} levels down are not followed; the components of group:default/g${
        MAX_DEPTH + 1
      } and of their child groups are left out`,
    );
  });
});
