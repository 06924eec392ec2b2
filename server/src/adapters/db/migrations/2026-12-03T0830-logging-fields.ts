import type { Kysely } from 'kysely';

// Logging fields (issue 16): one row per logged asset (an asset nobody logged has none), the
// deployment's custom fields and their values. Camera and reel keep where their value came
// from, so what the media says never overwrites what a person typed. The slate codes are
// indexed for the search filters (`scene:12`); values of custom fields by a folded key.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('asset_logs')
    .addColumn('asset_id', 'text', (c) => c.primaryKey())
    .addColumn('camera', 'text')
    .addColumn('camera_source', 'text')
    .addColumn('reel', 'text')
    .addColumn('reel_source', 'text')
    .addColumn('scene', 'text')
    .addColumn('take', 'text')
    .addColumn('circled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rating', 'integer')
    .addColumn('description', 'text')
    .addColumn('updated_at', 'bigint')
    .addColumn('updated_by', 'text')
    .execute();
  for (const column of ['camera', 'reel', 'scene', 'take'])
    await db.schema
      .createIndex(`asset_logs_${column}`)
      .on('asset_logs')
      .columns([column, 'asset_id'])
      .execute();
  await db.schema
    .createTable('log_fields')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('choices', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('asset_log_values')
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('field_id', 'text', (c) => c.notNull())
    .addColumn('text_value', 'text')
    .addColumn('number_value', 'double precision')
    .addColumn('search_key', 'text')
    .addPrimaryKeyConstraint('asset_log_values_pk', ['asset_id', 'field_id'])
    .execute();
  await db.schema
    .createIndex('asset_log_values_search')
    .on('asset_log_values')
    .columns(['field_id', 'search_key', 'asset_id'])
    .execute();
  await db.schema
    .createIndex('asset_log_values_number')
    .on('asset_log_values')
    .columns(['field_id', 'number_value', 'asset_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('asset_log_values').execute();
  await db.schema.dropTable('log_fields').execute();
  await db.schema.dropTable('asset_logs').execute();
}
