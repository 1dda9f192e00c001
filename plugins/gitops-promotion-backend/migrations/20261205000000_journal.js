// @ts-check

/**
 * The promotion journal: each change of a workload's running version or
 * state in one cluster, timed by the objects' own timestamps.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_promotion_journal', table => {
    table.comment(
      'Changes of the running version and state of Flux/KuboCD workloads, per cluster',
    );
    // A digest of the change's identity (workload, time, what changed to):
    // replicas sharing the database that see the same change write one row.
    table
      .string('key', 64)
      .primary()
      .comment('sha256 of cluster, kind, namespace, name, at and the values');
    table.string('cluster', 253).notNullable();
    table.string('kind', 32).notNullable();
    table.string('namespace', 253).notNullable();
    table.string('name', 253).notNullable();
    table
      .timestamp('at', { useTz: true })
      .notNullable()
      .comment('When it changed, from the objects (condition, status.history)');
    table
      .timestamp('observed_at', { useTz: true })
      .notNullable()
      .comment('When a backend first recorded it');
    table.string('state', 16).notNullable();
    table.string('reason', 255).nullable();
    table.string('version', 255).nullable();
    table.string('target_version', 255).nullable();
    table.text('summary').nullable().comment("The root cause's summary");
    table.string('category', 32).nullable();
    table.index(
      ['cluster', 'kind', 'namespace', 'name', 'at'],
      'gpj_workload_at_idx',
    );
    table.index(['at'], 'gpj_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_promotion_journal');
};
