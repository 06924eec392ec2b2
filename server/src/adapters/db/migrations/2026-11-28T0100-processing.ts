import type { Kysely } from 'kysely';

// What processing learns and makes for each asset, by asset id (a move changes none of it).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('asset_metadata')
    .addColumn('asset_id', 'text', (c) => c.primaryKey())
    .addColumn('etag', 'text', (c) => c.notNull())
    // The normalised record (JSON, TechnicalMetadata without the raw output).
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('ffprobe', 'text')
    .addColumn('mediainfo', 'text')
    .addColumn('probed_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('asset_derivatives')
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('asset_derivatives_pk', ['asset_id', 'kind'])
    .execute();

  // One row per derivative job planned for an asset's current content: the asset is ready
  // when every one is done.
  await db.schema
    .createTable('asset_tasks')
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('asset_tasks_pk', ['asset_id', 'job'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['asset_tasks', 'asset_derivatives', 'asset_metadata']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
