import type { Kysely } from 'kysely';

// Image sequences (issue 14): frames of one shot in one folder are one asset. `sequences` says
// which asset stands for which frame group of its folder (unique, so two processes indexing
// frames at once make one), the chosen frame rate and when the frames last changed (the
// settler processes a sequence once it is quiet); `sequence_frames` lists the lake objects
// that are its frames. Both go with their asset.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sequences')
    .addColumn('asset_id', 'text', (c) => c.primaryKey().references('assets.id').onDelete('cascade'))
    .addColumn('folder_id', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('separator', 'text', (c) => c.notNull())
    .addColumn('extension', 'text', (c) => c.notNull())
    .addColumn('padding', 'integer', (c) => c.notNull())
    .addColumn('frame_rate', 'text')
    .addColumn('dirty_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('sequences_group')
    .unique()
    .on('sequences')
    .columns(['folder_id', 'group_key'])
    .execute();
  await db.schema.createIndex('sequences_dirty').on('sequences').column('dirty_at').execute();
  await db.schema
    .createTable('sequence_frames')
    .addColumn('asset_id', 'text', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('mtime', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sequence_frames_pk', ['asset_id', 'number'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sequence_frames').execute();
  await db.schema.dropTable('sequences').execute();
}
