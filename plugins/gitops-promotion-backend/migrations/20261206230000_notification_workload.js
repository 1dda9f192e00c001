// @ts-check

/**
 * The workload's name beside its notification state: a failure told is
 * ended by an update after the workload has left every view, when no row
 * names it any more.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gitops_promotion_notifications', table => {
    table
      .text('workload')
      .nullable()
      .comment('The name of the workload the scope is about');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gitops_promotion_notifications', table => {
    table.dropColumn('workload');
  });
};
