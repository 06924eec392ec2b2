import type { Kysely } from 'kysely';

// A folder's dailies look (LUT and burn-in), inherited by the folders below that have none.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('folder_looks')
    .addColumn('folder_id', 'text', (c) => c.primaryKey())
    .addColumn('lut_name', 'text')
    .addColumn('lut_dimensions', 'integer')
    .addColumn('lut_size', 'integer')
    .addColumn('lut_digest', 'text')
    .addColumn('lut_cube', 'text')
    .addColumn('burn_in_clip_name', 'integer', (c) => c.notNull())
    .addColumn('burn_in_timecode', 'integer', (c) => c.notNull())
    .addColumn('burn_in_frame_counter', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('folder_looks').execute();
}
