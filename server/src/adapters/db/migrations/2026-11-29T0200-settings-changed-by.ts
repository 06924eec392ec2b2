import type { Kysely } from 'kysely';

// Settings saved on the settings page are layered over the file and environment; the page shows
// who saved them last (the audit log keeps the whole history).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('settings').addColumn('updated_by', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('settings').dropColumn('updated_by').execute();
}
