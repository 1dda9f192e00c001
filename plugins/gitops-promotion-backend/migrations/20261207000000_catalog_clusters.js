// @ts-check

/**
 * The catalog Resource each catalog cluster name is watched from: a second
 * Resource of the name (anyone may register one) must not take the
 * cluster away at the next start or on another replica.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_promotion_catalog_clusters', table => {
    table.comment(
      'Per catalog cluster name, the kubernetes-cluster Resource it is watched from',
    );
    table.string('name', 253).primary().comment('The cluster name');
    table.text('entity_ref').notNullable().comment('The Resource watched');
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_promotion_catalog_clusters');
};
