import { type Kysely, sql } from 'kysely';

// Counting a folder's live assets (every page of a listing reports the total) walked one of the
// (folder_id, column, id) indexes and read each row to test trashed_at: ~1 s for 100,000 assets
// on SQLite. This partial index answers the count by itself.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index assets_live_folder on assets (folder_id) where trashed_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('assets_live_folder').execute();
}
