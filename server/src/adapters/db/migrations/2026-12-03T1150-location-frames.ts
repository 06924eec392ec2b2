import type { Kysely } from 'kysely';

// A copy of an image sequence on a volume is a folder of frame files: each frame Dailies wrote
// there, with the checksum it was verified by, so a removal or a scan checks exactly those files.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('asset_locations').addColumn('frames', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('asset_locations').dropColumn('frames').execute();
}
