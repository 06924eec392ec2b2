import type { Kysely } from 'kysely';

// ASC MHL (issue 16): each card's last verification against its history, each asset's verdict.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mhl_cards')
    .addColumn('folder_id', 'text', (c) => c.primaryKey())
    .addColumn('checked_at', 'bigint', (c) => c.notNull())
    // Counts, missing paths and problems as JSON: read whole, never queried into.
    .addColumn('summary', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('asset_mhl_checks')
    .addColumn('asset_id', 'text', (c) => c.primaryKey())
    .addColumn('card_folder_id', 'text', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) => c.notNull())
    .addColumn('formats', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('checked_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('asset_mhl_checks_card')
    .on('asset_mhl_checks')
    .column('card_folder_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('asset_mhl_checks').execute();
  await db.schema.dropTable('mhl_cards').execute();
}
