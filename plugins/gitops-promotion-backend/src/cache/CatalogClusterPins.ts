import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { migrateDatabase } from '../database/migrateDatabase';

const TABLE = 'gitops_promotion_catalog_clusters';

/**
 * The Resource each catalog cluster name is watched from, in the plugin's
 * database: what the one in place is, for every replica and after a
 * restart, so a newcomer of the same name never takes the cluster away.
 */
export class CatalogClusterPins {
  private constructor(private readonly db: Knex) {}

  static async create(database: DatabaseService): Promise<CatalogClusterPins> {
    return new CatalogClusterPins(await migrateDatabase(database));
  }

  /** Cluster name → the Resource (entity ref) it is watched from. */
  async read(): Promise<Map<string, string>> {
    const rows: Array<{ name: string; entity_ref: string }> = await this.db(
      TABLE,
    ).select('name', 'entity_ref');
    return new Map(rows.map(r => [r.name, r.entity_ref]));
  }

  /** Records the Resource a cluster name is now watched from. */
  async pin(name: string, entityRef: string): Promise<void> {
    await this.db(TABLE)
      .insert({ name, entity_ref: entityRef, updated_at: new Date() })
      .onConflict('name')
      .merge(['entity_ref', 'updated_at']);
  }
}
