import type { Kysely } from 'kysely';

// Notes on assets, optionally at a frame or a range of frames (features/notes).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('asset_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('frame', 'bigint')
    .addColumn('end_frame', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // An asset's notes are read together (the player, a bin export), oldest first.
  await db.schema
    .createIndex('asset_notes_asset')
    .on('asset_notes')
    .columns(['asset_id', 'created_at', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('asset_notes').execute();
}
