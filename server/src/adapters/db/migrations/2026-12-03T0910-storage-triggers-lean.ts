import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { dropStorageTriggers, storageTriggers } from './2026-12-03T0500-storage-sums.js';

/**
 * The storage-sum triggers on `assets` (2026-12-03T0500-storage-sums), each down to ONE
 * statement. They appended the asset's change, then its derivatives' and copies' changes, in up
 * to six statements per row; each statement a trigger runs has a fixed cost (SQLite: a
 * sub-program; PostgreSQL: an SPI call from PL/pgSQL) that was most of what a single move paid.
 * Now the asset's two signed rows and its children's rows are one `insert … select … union
 * all`, and the children's part is skipped by a constant condition when the asset only changed
 * kind, format or size (neither folder nor trash). What is appended is the same, row for row.
 * The derivative and copy triggers were one statement already and stay.
 */
const DELTA_COLUMNS = 'folder_id, part, label, format, trashed, assets, bytes';
const INSERT = `insert into storage_deltas (${DELTA_COLUMNS})`;
const trashed = (alias: string) => `case when ${alias}.trashed_at is null then 0 else 1 end`;
const MOVED = '(old.folder_id <> new.folder_id or (old.trashed_at is null) <> (new.trashed_at is null))';

/** The asset's own row, counted with `sign`. */
const assetRow = (row: 'new' | 'old', sign: 1 | -1) =>
  `select ${row}.folder_id, 'asset', coalesce(${row}.kind, 'other'), ${row}.format, ${trashed(row)}, ${sign}, ${sign} * ${row}.size`;

/**
 * The asset's derivatives and volume copies, counted once per side in `sides` (a list of
 * `(folder_id, trashed, sign)`), when `when` holds.
 */
const childRows = (id: string, sides: string, when: string) => `
  select s.folder_id, 'derived', d.kind, '', s.trashed, s.sign, s.sign * d.size
    from asset_derivatives d, (${sides}) s where d.asset_id = ${id} and ${when}
  union all
  select s.folder_id, 'volume', l.volume_id, '', s.trashed, s.sign, s.sign * l.size
    from asset_locations l, (${sides}) s where l.asset_id = ${id} and ${when}`;

const side = (row: 'new' | 'old', sign: 1 | -1, named = false) =>
  named
    ? `select ${row}.folder_id as folder_id, ${trashed(row)} as trashed, ${sign} as sign`
    : `select ${row}.folder_id, ${trashed(row)}, ${sign}`;

/** The one statement an update of an asset's figures runs. */
const updated = () => `${INSERT}
  ${assetRow('old', -1)} union all ${assetRow('new', 1)} union all
  ${childRows('old.id', `${side('old', -1, true)} union all ${side('new', 1)}`, MOVED)};`;

/** The one statement a deleted asset runs. */
const deleted = () => `${INSERT}
  ${assetRow('old', -1)} union all ${childRows('old.id', side('old', -1, true), '1 = 1')};`;

const UPDATE_OF = 'folder_id, kind, format, size, trashed_at';

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const statements = postgres
    ? [
        'drop trigger storage_assets_deleted on assets',
        'drop trigger storage_asset_updated on assets',
        'drop function storage_assets_deleted()',
        'drop function storage_asset_updated()',
        // Still per statement (a reconcile's batch deletes many rows at once), now one insert.
        `create function storage_assets_deleted() returns trigger language plpgsql as $$
          begin
            ${INSERT}
              select r.folder_id, 'asset', coalesce(r.kind, 'other'), r.format, ${trashed('r')}, -count(*), -sum(r.size)
                from old_rows r group by 1, 2, 3, 4, 5
              union all
              select r.folder_id, 'derived', d.kind, '', ${trashed('r')}, -count(*), -sum(d.size)
                from old_rows r join asset_derivatives d on d.asset_id = r.id group by 1, 2, 3, 4, 5
              union all
              select r.folder_id, 'volume', l.volume_id, '', ${trashed('r')}, -count(*), -sum(l.size)
                from old_rows r join asset_locations l on l.asset_id = r.id group by 1, 2, 3, 4, 5;
            return null;
          end $$`,
        `create trigger storage_assets_deleted after delete on assets referencing old table as old_rows
          for each statement execute function storage_assets_deleted()`,
        `create function storage_asset_updated() returns trigger language plpgsql as $$
          begin ${updated().replaceAll('old.folder_id <> new.folder_id', 'old.folder_id is distinct from new.folder_id')} return null; end $$`,
        `create trigger storage_asset_updated after update of ${UPDATE_OF} on assets
          for each row when (old.folder_id is distinct from new.folder_id or old.kind is distinct from new.kind
            or old.format is distinct from new.format or old.size is distinct from new.size
            or (old.trashed_at is null) <> (new.trashed_at is null))
          execute function storage_asset_updated()`,
      ]
    : [
        'drop trigger storage_asset_delete',
        'drop trigger storage_asset_update',
        `create trigger storage_asset_delete after delete on assets begin ${deleted()} end`,
        `create trigger storage_asset_update after update of ${UPDATE_OF} on assets
           when old.folder_id <> new.folder_id or old.kind is not new.kind or old.format <> new.format
             or old.size <> new.size or (old.trashed_at is null) <> (new.trashed_at is null)
         begin ${updated()} end`,
      ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** Back to the first migration's triggers. */
export async function down(db: Kysely<any>): Promise<void> {
  await dropStorageTriggers(db);
  await storageTriggers(db);
}
