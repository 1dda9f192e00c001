// @ts-check

/**
 * Who a scope's notifications went to (the entity's owners then): a
 * failure told is ended by an update to them after the entity left the
 * catalog, when its ref resolves to no one.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gitops_promotion_notifications', table => {
    table
      .text('recipients')
      .nullable()
      .comment(
        "The entity refs of the owners the scope's notifications went to, as a JSON array",
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gitops_promotion_notifications', table => {
    table.dropColumn('recipients');
  });
};
