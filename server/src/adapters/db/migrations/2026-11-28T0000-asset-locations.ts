import type { Kysely } from 'kysely';

// Where each asset has a verified copy on an edit volume, with what Dailies wrote there.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('asset_locations')
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('volume_id', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('xxh64', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('mtime', 'bigint', (c) => c.notNull())
    .addColumn('copied_at', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('verified'))
    .addPrimaryKeyConstraint('asset_locations_pk', ['asset_id', 'volume_id'])
    .execute();
  await db.schema
    .createIndex('asset_locations_volume')
    .on('asset_locations')
    .columns(['volume_id', 'asset_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('asset_locations').execute();
}
