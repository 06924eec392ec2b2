import type { Kysely } from 'kysely';

// What a step that changes the lake and then the catalog is about to do, written before the lake
// changes and removed with the catalog write, so a step cut short by a crash is finished or undone
// at the next start and the watcher and reconcile leave its keys alone meanwhile.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('lake_intents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('asset_id', 'text')
    .addColumn('from_key', 'text', (c) => c.notNull())
    .addColumn('to_key', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('lake_intents').execute();
}
