import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Storage figures (issue 17) at 1,000,000 assets: summing `assets` on every request read the
 * whole table. Triggers on every writer of assets, derivatives and volume copies append a
 * signed change to `storage_deltas` (an insert only: no row is locked, so uploads and moves in
 * parallel never wait on a shared total); a fold (adapters/db/storage.repository.ts) adds them
 * into `storage_sums` now and then. A read adds the sums and the changes not yet folded, so it
 * is exact whatever the fold's delay.
 *
 * One row per (folder, part, label, format, trashed): part `asset` (label: kind), `derived`
 * (label: derivative kind), `volume` (label: volume id; bytes are the copy's size).
 * `storage_daily` holds the server's figure of each day, per set of groups that may see it.
 */
const DELTA_COLUMNS = 'folder_id, part, label, format, trashed, assets, bytes';

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const big = postgres ? 'bigint' : 'integer';
  await sql
    .raw(`create table storage_sums (
      folder_id text not null, part text not null, label text not null, format text not null,
      trashed integer not null, assets ${big} not null, bytes ${big} not null,
      primary key (folder_id, part, label, format, trashed))`)
    .execute(db);
  await sql
    .raw(`create table storage_deltas (
      id ${postgres ? 'bigserial primary key' : 'integer primary key'},
      folder_id text not null, part text not null, label text not null, format text not null,
      trashed integer not null, assets ${big} not null, bytes ${big} not null)`)
    .execute(db);
  await sql
    .raw(`create table storage_daily (
      day text not null, access_key text not null, assets ${big} not null, bytes ${big} not null,
      trashed_bytes ${big} not null, derived_bytes ${big} not null, volume_bytes ${big} not null,
      primary key (day, access_key))`)
    .execute(db);
  // Duplicates are found by (xxHash64, size) among live assets; the index answers the grouping.
  await sql`create index assets_live_checksum on assets (checksum_xxh64, size) where trashed_at is null and checksum_xxh64 is not null`.execute(
    db,
  );
  // Failed assets are few; the clean-up list reads them without scanning the rest.
  await sql`create index assets_failed on assets (updated_at, id) where state = 'failed' and trashed_at is null`.execute(
    db,
  );
  await storageTriggers(db);
  // What the catalog already holds, counted once.
  await sql
    .raw(`insert into storage_sums (${DELTA_COLUMNS})
      select folder_id, 'asset', coalesce(kind, 'other'), format, case when trashed_at is null then 0 else 1 end, count(*), sum(size)
        from assets group by 1, 2, 3, 4, 5
      union all
      select a.folder_id, 'derived', d.kind, '', case when a.trashed_at is null then 0 else 1 end, count(*), sum(d.size)
        from asset_derivatives d join assets a on a.id = d.asset_id group by 1, 2, 3, 4, 5
      union all
      select a.folder_id, 'volume', l.volume_id, '', case when a.trashed_at is null then 0 else 1 end, count(*), sum(l.size)
        from asset_locations l join assets a on a.id = l.asset_id group by 1, 2, 3, 4, 5`)
    .execute(db);
}

/** This migration's triggers (also what 2026-12-03T0910-storage-triggers-lean goes back to). */
export async function storageTriggers(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await upPostgres(db);
  else await upSqlite(db);
}

const trashedOf = (row: 'new' | 'old') => `case when ${row}.trashed_at is null then 0 else 1 end`;

async function upSqlite(db: Kysely<any>): Promise<void> {
  const insert = `insert into storage_deltas (${DELTA_COLUMNS})`;
  const assetRow = (row: 'new' | 'old', sign: 1 | -1) =>
    `${insert} values (${row}.folder_id, 'asset', coalesce(${row}.kind, 'other'), ${row}.format, ${trashedOf(row)}, ${sign}, ${sign} * ${row}.size);`;
  // The derivatives and copies of an asset follow it between folders and into the trash.
  const children = (row: 'new' | 'old', sign: 1 | -1, id: string, when = '') => `
    ${insert} select ${row}.folder_id, 'derived', d.kind, '', ${trashedOf(row)}, ${sign}, ${sign} * d.size
      from asset_derivatives d where d.asset_id = ${id}${when};
    ${insert} select ${row}.folder_id, 'volume', l.volume_id, '', ${trashedOf(row)}, ${sign}, ${sign} * l.size
      from asset_locations l where l.asset_id = ${id}${when};`;
  const moved =
    ' and (old.folder_id <> new.folder_id or (old.trashed_at is null) <> (new.trashed_at is null))';
  const statements = [
    `create trigger storage_asset_insert after insert on assets begin ${assetRow('new', 1)} end`,
    `create trigger storage_asset_delete after delete on assets begin ${assetRow('old', -1)} ${children('old', -1, 'old.id')} end`,
    `create trigger storage_asset_update after update of folder_id, kind, format, size, trashed_at on assets
       when old.folder_id <> new.folder_id or old.kind is not new.kind or old.format <> new.format
         or old.size <> new.size or (old.trashed_at is null) <> (new.trashed_at is null)
     begin ${assetRow('old', -1)} ${assetRow('new', 1)} ${children('old', -1, 'old.id', moved)} ${children('new', 1, 'new.id', moved)} end`,
  ];
  for (const [table, part, label] of [
    ['asset_derivatives', 'derived', 'kind'],
    ['asset_locations', 'volume', 'volume_id'],
  ] as const) {
    const row = (r: 'new' | 'old', sign: 1 | -1) =>
      `${insert} select a.folder_id, '${part}', ${r}.${label}, '', case when a.trashed_at is null then 0 else 1 end, ${sign}, ${sign} * ${r}.size
         from assets a where a.id = ${r}.asset_id;`;
    statements.push(
      `create trigger storage_${part}_insert after insert on ${table} begin ${row('new', 1)} end`,
      `create trigger storage_${part}_delete after delete on ${table} begin ${row('old', -1)} end`,
      `create trigger storage_${part}_update after update of size, asset_id, ${label} on ${table}
         when old.size <> new.size or old.asset_id <> new.asset_id or old.${label} <> new.${label}
       begin ${row('old', -1)} ${row('new', 1)} end`,
    );
  }
  for (const statement of statements) await sql.raw(statement).execute(db);
}

async function upPostgres(db: Kysely<any>): Promise<void> {
  const insert = `insert into storage_deltas (${DELTA_COLUMNS})`;
  const trashed = (alias: string) => `case when ${alias}.trashed_at is null then 0 else 1 end`;
  // Inserts and deletes: once per statement over its transition table, so a batch of 5,000
  // rows (reconcile) appends a few grouped changes instead of calling a function per row.
  const grouped = (rows: string, sign: 1 | -1) => `
    ${insert} select r.folder_id, 'asset', coalesce(r.kind, 'other'), r.format, ${trashed('r')}, ${sign} * count(*), ${sign} * sum(r.size)
      from ${rows} r group by 1, 2, 3, 4, 5;`;
  const children = (rows: string, sign: 1 | -1) => `
    ${insert} select r.folder_id, 'derived', d.kind, '', ${trashed('r')}, ${sign} * count(*), ${sign} * sum(d.size)
      from ${rows} r join asset_derivatives d on d.asset_id = r.id group by 1, 2, 3, 4, 5;
    ${insert} select r.folder_id, 'volume', l.volume_id, '', ${trashed('r')}, ${sign} * count(*), ${sign} * sum(l.size)
      from ${rows} r join asset_locations l on l.asset_id = r.id group by 1, 2, 3, 4, 5;`;
  const assetRow = (row: 'new' | 'old', sign: 1 | -1) =>
    `${insert} values (${row}.folder_id, 'asset', coalesce(${row}.kind, 'other'), ${row}.format, ${trashed(row)}, ${sign}, ${sign} * ${row}.size);`;
  const rowChildren = (row: 'new' | 'old', sign: 1 | -1) => `
    ${insert} select ${row}.folder_id, 'derived', d.kind, '', ${trashed(row)}, ${sign}, ${sign} * d.size
      from asset_derivatives d where d.asset_id = ${row}.id;
    ${insert} select ${row}.folder_id, 'volume', l.volume_id, '', ${trashed(row)}, ${sign}, ${sign} * l.size
      from asset_locations l where l.asset_id = ${row}.id;`;
  const moved = `old.folder_id is distinct from new.folder_id or (old.trashed_at is null) <> (new.trashed_at is null)`;
  const statements = [
    `create function storage_assets_inserted() returns trigger language plpgsql as $$
      begin ${grouped('new_rows', 1)} return null; end $$`,
    `create trigger storage_assets_inserted after insert on assets referencing new table as new_rows
      for each statement execute function storage_assets_inserted()`,
    `create function storage_assets_deleted() returns trigger language plpgsql as $$
      begin ${grouped('old_rows', -1)} ${children('old_rows', -1)} return null; end $$`,
    `create trigger storage_assets_deleted after delete on assets referencing old table as old_rows
      for each statement execute function storage_assets_deleted()`,
    // Updates: per row, and only rows whose figures change call the function at all (the WHEN
    // is tested without it), so state, metadata and checksum updates cost nothing here.
    `create function storage_asset_updated() returns trigger language plpgsql as $$
      begin
        ${assetRow('old', -1)}
        ${assetRow('new', 1)}
        if ${moved} then
          ${rowChildren('old', -1)}
          ${rowChildren('new', 1)}
        end if;
        return null;
      end $$`,
    `create trigger storage_asset_updated after update of folder_id, kind, format, size, trashed_at on assets
      for each row when (old.folder_id is distinct from new.folder_id or old.kind is distinct from new.kind
        or old.format is distinct from new.format or old.size is distinct from new.size
        or (old.trashed_at is null) <> (new.trashed_at is null))
      execute function storage_asset_updated()`,
  ];
  for (const [table, part, label] of [
    ['asset_derivatives', 'derived', 'kind'],
    ['asset_locations', 'volume', 'volume_id'],
  ] as const) {
    const row = (r: 'new' | 'old', sign: 1 | -1) =>
      `${insert} select a.folder_id, '${part}', ${r}.${label}, '', ${trashed('a')}, ${sign}, ${sign} * ${r}.size
         from assets a where a.id = ${r}.asset_id;`;
    statements.push(
      `create function storage_${part}_change() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          ${row('new', 1)}
        elsif tg_op = 'DELETE' then
          ${row('old', -1)}
        else
          ${row('old', -1)}
          ${row('new', 1)}
        end if;
        return null;
      end $$`,
      `create trigger storage_${part}_change after insert or delete on ${table}
        for each row execute function storage_${part}_change()`,
      `create trigger storage_${part}_update after update on ${table}
        for each row when (old.size is distinct from new.size or old.asset_id <> new.asset_id or old.${label} <> new.${label})
        execute function storage_${part}_change()`,
    );
  }
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropStorageTriggers(db);
  await sql.raw('drop index assets_live_checksum').execute(db);
  await sql.raw('drop index assets_failed').execute(db);
  for (const t of ['storage_daily', 'storage_deltas', 'storage_sums']) await db.schema.dropTable(t).execute();
}

/** Every storage trigger (and PostgreSQL's functions), by the names both versions use. */
export async function dropStorageTriggers(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (postgres) {
    for (const [name, table] of [
      ['storage_assets_inserted', 'assets'],
      ['storage_assets_deleted', 'assets'],
      ['storage_asset_updated', 'assets'],
      ['storage_derived_change', 'asset_derivatives'],
      ['storage_derived_update', 'asset_derivatives'],
      ['storage_volume_change', 'asset_locations'],
      ['storage_volume_update', 'asset_locations'],
    ])
      await sql.raw(`drop trigger ${name} on ${table}`).execute(db);
    for (const f of [
      'storage_assets_inserted',
      'storage_assets_deleted',
      'storage_asset_updated',
      'storage_derived_change',
      'storage_volume_change',
    ])
      await sql.raw(`drop function ${f}()`).execute(db);
  } else {
    for (const t of ['asset', 'derived', 'volume'])
      for (const op of ['insert', 'delete', 'update'])
        await sql.raw(`drop trigger storage_${t}_${op}`).execute(db);
  }
}
