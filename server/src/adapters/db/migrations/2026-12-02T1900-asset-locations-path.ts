import type { Kysely } from 'kysely';

// Browsing a volume and bringing files back look copies up by their path on the volume.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('asset_locations_path')
    .on('asset_locations')
    .columns(['volume_id', 'path'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('asset_locations_path').execute();
}
