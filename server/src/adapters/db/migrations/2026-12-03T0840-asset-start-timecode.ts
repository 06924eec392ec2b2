import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * An asset's start timecode (issue 15: a column of the browse table) beside its other summary
 * columns, so a folder's page reads it without opening each probe record. Assets probed before
 * take it from the record they have.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await sql`alter table assets add column start_timecode text`.execute(db);
  const fromRecord = postgres
    ? sql`(select m.record::json->>'startTimecode' from asset_metadata m where m.asset_id = assets.id)`
    : sql`(select json_extract(m.record, '$.startTimecode') from asset_metadata m where m.asset_id = assets.id)`;
  await sql`update assets set start_timecode = ${fromRecord} where exists (select 1 from asset_metadata m where m.asset_id = assets.id)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table assets drop column start_timecode`.execute(db);
}
