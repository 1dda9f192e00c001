// @ts-check

/**
 * What the notification rules remember per scope (an entity's workload in
 * one environment): the condition seen and since when, and what was sent.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_promotion_notifications', table => {
    table.comment(
      'Notification state per entity, workload and environment: what was seen and what was sent',
    );
    table
      .string('key', 64)
      .primary()
      .comment('sha256 of the notification scope');
    table.text('scope').notNullable().comment('The notification scope');
    table.text('entity_ref').notNullable();
    table.string('environment', 253).notNullable();
    table
      .text('state')
      .notNullable()
      .comment('JSON of NotificationState (plugin-common/server)');
    // Replicas write a state only over the one they read: the one whose
    // write wins sends.
    table
      .integer('revision')
      .notNullable()
      .comment('Incremented on each write; a write names the one it read');
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['updated_at'], 'gpn_updated_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_promotion_notifications');
};
