import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * The words of a logged description are found by the free-text search like those of the name
 * and the folder path (issue 16: logging fields "searchable like the technical fields"): `boom`
 * finds the take whose description says "boom dips in". They join the same document, so every
 * word of a query may match name, path or description, and the prefix indexes serve them alike.
 * Triggers on `asset_logs` keep the document when a description is written, changed or
 * cleared; the asset and folder triggers carry the description along on a rename or a move.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await upPostgres(db);
  else await upSqlite(db);
}

const FTS_OPTIONS = `prefix='1 2 3 4 5 6', content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'`;

/** The description of the asset `id` (an SQL expression), '' when nobody described it. */
const descriptionOf = (id: string) =>
  `coalesce((select description from asset_logs where asset_id = ${id}), '')`;

async function upSqlite(db: Kysely<any>): Promise<void> {
  // A contentless FTS5 table takes no new column: rebuilt with one, every asset indexed again.
  await sql`drop table asset_search`.execute(db);
  await sql
    .raw(`create virtual table asset_search using fts5(name, path, description, ${FTS_OPTIONS})`)
    .execute(db);
  await sql`insert into asset_search (rowid, name, path, description)
    select r.seq, a.name, f.path, coalesce(l.description, '') from asset_search_rows r
    join assets a on a.id = r.asset_id join folders f on f.id = a.folder_id
    left join asset_logs l on l.asset_id = a.id`.execute(db);
  await sqliteTriggers(db, true);
}

/** The rename/move triggers, with the description carried along (`withDescription`) or not. */
async function sqliteTriggers(db: Kysely<any>, withDescription: boolean): Promise<void> {
  const columns = withDescription ? 'name, path, description' : 'name, path';
  const described = (id: string) => (withDescription ? `, ${descriptionOf(id)}` : '');
  await sql`drop trigger asset_search_update`.execute(db);
  await sql
    .raw(`create trigger asset_search_update after update of name, folder_id on assets begin
    delete from asset_search where rowid = (select seq from asset_search_rows where asset_id = old.id);
    insert into asset_search (rowid, ${columns})
      select seq, new.name, (select path from folders where id = new.folder_id)${described('new.id')}
      from asset_search_rows where asset_id = new.id;
  end`)
    .execute(db);
  await sql`drop trigger asset_search_folder_path`.execute(db);
  await sql
    .raw(`create trigger asset_search_folder_path after update of path on folders
    when new.path is not old.path begin
    delete from asset_search where rowid in
      (select r.seq from asset_search_rows r join assets a on a.id = r.asset_id where a.folder_id = new.id);
    insert into asset_search (rowid, ${columns})
      select r.seq, a.name, new.path${described('a.id')} from asset_search_rows r join assets a on a.id = r.asset_id
      where a.folder_id = new.id;
  end`)
    .execute(db);
  if (!withDescription) return;
  // A description written, changed or cleared: the asset's row is indexed again with it.
  const reindex = (id: string) => `
    delete from asset_search where rowid = (select seq from asset_search_rows where asset_id = ${id});
    insert into asset_search (rowid, name, path, description)
      select r.seq, a.name, f.path, ${descriptionOf(id)} from asset_search_rows r
      join assets a on a.id = r.asset_id join folders f on f.id = a.folder_id
      where r.asset_id = ${id};`;
  await sql
    .raw(`create trigger asset_log_search_insert after insert on asset_logs
    when new.description is not null begin ${reindex('new.asset_id')} end`)
    .execute(db);
  await sql
    .raw(`create trigger asset_log_search_update after update of description on asset_logs
    when new.description is not old.description begin ${reindex('new.asset_id')} end`)
    .execute(db);
  await sql
    .raw(`create trigger asset_log_search_delete after delete on asset_logs
    when old.description is not null begin ${reindex('old.asset_id')} end`)
    .execute(db);
}

async function upPostgres(db: Kysely<any>): Promise<void> {
  await postgresFunctions(db, true);
  await sql`create function dailies_log_search_sync() returns trigger language plpgsql as $$
    declare changed text := case when tg_op = 'DELETE' then old.asset_id else new.asset_id end;
    begin
      update asset_search s
        set document = dailies_search_document(a.name || ' ' || f.path || ' ' || ${sql.raw(descriptionOf('a.id'))})
        from assets a join folders f on f.id = a.folder_id
        where a.id = changed and s.asset_id = a.id;
      return null;
    end $$`.execute(db);
  await sql`create trigger asset_log_search_insert after insert on asset_logs
    for each row when (new.description is not null) execute function dailies_log_search_sync()`.execute(db);
  await sql`create trigger asset_log_search_update after update of description on asset_logs
    for each row when (new.description is distinct from old.description)
    execute function dailies_log_search_sync()`.execute(db);
  await sql`create trigger asset_log_search_delete after delete on asset_logs
    for each row when (old.description is not null) execute function dailies_log_search_sync()`.execute(db);
  await sql`update asset_search s
    set document = dailies_search_document(a.name || ' ' || f.path || ' ' || l.description)
    from asset_logs l join assets a on a.id = l.asset_id join folders f on f.id = a.folder_id
    where l.description is not null and s.asset_id = l.asset_id`.execute(db);
}

/** The asset and folder trigger functions, the description in the document or not. */
async function postgresFunctions(db: Kysely<any>, withDescription: boolean): Promise<void> {
  const described = (id: string) => sql.raw(withDescription ? ` || ' ' || ${descriptionOf(id)}` : '');
  const columns = [
    'folder_id',
    'trashed_at',
    'sort_name',
    'format',
    'kind',
    'size',
    'state',
    'duration',
    'width',
    'height',
    'frame_rate',
    'video_codec',
    'audio_codec',
    'audio_tracks',
    'uploaded_by',
    'created_at',
    'updated_at',
  ];
  const list = (prefix = '') => sql.raw(columns.map((c) => `${prefix}${c}`).join(', '));
  await sql`create or replace function dailies_asset_search_sync() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        delete from asset_search where asset_id = old.id;
        return old;
      end if;
      if tg_op = 'UPDATE' and new.name = old.name and new.folder_id = old.folder_id then
        update asset_search set (${list()}) = (${list('new.')}) where asset_id = new.id;
        return new;
      end if;
      insert into asset_search (asset_id, document, ${list()})
        select new.id, dailies_search_document(new.name || ' ' || f.path${described('new.id')}), ${list('new.')}
        from folders f where f.id = new.folder_id
      on conflict (asset_id) do update set document = excluded.document,
        ${sql.raw(columns.map((c) => `${c} = excluded.${c}`).join(', '))};
      return new;
    end $$`.execute(db);
  await sql`create or replace function dailies_folder_search_sync() returns trigger language plpgsql as $$
    begin
      update asset_search s
        set document = dailies_search_document(a.name || ' ' || new.path${described('a.id')})
        from assets a where a.folder_id = new.id and s.asset_id = a.id;
      return new;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const t of ['asset_log_search_insert', 'asset_log_search_update', 'asset_log_search_delete'])
      await sql`drop trigger if exists ${sql.raw(t)} on asset_logs`.execute(db);
    await sql`drop function if exists dailies_log_search_sync()`.execute(db);
    await postgresFunctions(db, false);
    await sql`update asset_search s set document = dailies_search_document(a.name || ' ' || f.path)
      from asset_logs l join assets a on a.id = l.asset_id join folders f on f.id = a.folder_id
      where l.description is not null and s.asset_id = l.asset_id`.execute(db);
    return;
  }
  for (const t of ['asset_log_search_insert', 'asset_log_search_update', 'asset_log_search_delete'])
    await sql`drop trigger if exists ${sql.raw(t)}`.execute(db);
  await sqliteTriggers(db, false);
  await sql`drop table asset_search`.execute(db);
  await sql.raw(`create virtual table asset_search using fts5(name, path, ${FTS_OPTIONS})`).execute(db);
  await sql`insert into asset_search (rowid, name, path)
    select r.seq, a.name, f.path from asset_search_rows r
    join assets a on a.id = r.asset_id join folders f on f.id = a.folder_id`.execute(db);
}
