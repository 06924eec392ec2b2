import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * The search index: words of each asset's name and folder path, folded for case and accents.
 * SQLite: an FTS5 table (unicode61, diacritics removed) keyed through asset_search_rows,
 * since an FTS row id must be an integer. PostgreSQL: a tsvector per asset over unaccented
 * text, with a GIN index. (Word and prefix
 * matching is the contract on both; a trigram index would only serve substring matching,
 * which SQLite's index cannot give, so it is left out.) Triggers keep both in step with
 * every writer (insert, rename, move, delete, folder rename or move).
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await upPostgres(db);
  else await upSqlite(db);
  // Filters without a folder: the commonest ones get an index of their own.
  for (const column of ['kind', 'state', 'created_at', 'updated_at', 'size', 'video_codec']) {
    await db.schema.createIndex(`assets_search_${column}`).on('assets').columns([column, 'id']).execute();
  }
  // The default order of a search without a folder: walk it and stop after a page.
  await db.schema.createIndex('assets_search_sort_name').on('assets').columns(['sort_name', 'id']).execute();
}

async function upSqlite(db: Kysely<any>): Promise<void> {
  await sql`create table asset_search_rows (seq integer primary key, asset_id text not null unique)`.execute(
    db,
  );
  await sql`create virtual table asset_search using fts5(name, path, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`.execute(
    db,
  );
  await sql`create trigger asset_search_insert after insert on assets begin
    insert into asset_search_rows (asset_id) values (new.id);
    insert into asset_search (rowid, name, path)
      values (last_insert_rowid(), new.name, (select path from folders where id = new.folder_id));
  end`.execute(db);
  await sql`create trigger asset_search_update after update of name, folder_id on assets begin
    delete from asset_search where rowid = (select seq from asset_search_rows where asset_id = old.id);
    insert into asset_search (rowid, name, path)
      select seq, new.name, (select path from folders where id = new.folder_id)
      from asset_search_rows where asset_id = new.id;
  end`.execute(db);
  await sql`create trigger asset_search_delete after delete on assets begin
    delete from asset_search where rowid = (select seq from asset_search_rows where asset_id = old.id);
    delete from asset_search_rows where asset_id = old.id;
  end`.execute(db);
  await sql`create trigger asset_search_folder_path after update of path on folders
    when new.path is not old.path begin
    delete from asset_search where rowid in
      (select r.seq from asset_search_rows r join assets a on a.id = r.asset_id where a.folder_id = new.id);
    insert into asset_search (rowid, name, path)
      select r.seq, a.name, new.path from asset_search_rows r join assets a on a.id = r.asset_id
      where a.folder_id = new.id;
  end`.execute(db);
  await sql`insert into asset_search_rows (asset_id) select id from assets`.execute(db);
  await sql`insert into asset_search (rowid, name, path)
    select r.seq, a.name, f.path from asset_search_rows r
    join assets a on a.id = r.asset_id join folders f on f.id = a.folder_id`.execute(db);
}

async function upPostgres(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists unaccent`.execute(db);
  // unaccent() is only STABLE (its dictionary could change); naming the dictionary makes it
  // safe to declare IMMUTABLE for an index. ASCII punctuation becomes spaces so that
  // `A003C012.mov` gives the words a003c012 and mov, as FTS5's tokenizer does.
  await sql`create function dailies_search_text(value text) returns text
    language sql immutable parallel safe strict
    as $$ select lower(public.unaccent('public.unaccent'::regdictionary,
      regexp_replace(value, '[!-/:-@\\[-\`{-~]', ' ', 'g'))) $$`.execute(db);
  await sql`create table asset_search (
    asset_id text primary key,
    document tsvector not null
  )`.execute(db);
  await sql`create index asset_search_document on asset_search using gin (document)`.execute(db);
  await sql`create function dailies_asset_search_sync() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        delete from asset_search where asset_id = old.id;
        return old;
      end if;
      insert into asset_search (asset_id, document)
        select new.id, to_tsvector('simple', dailies_search_text(new.name || ' ' || f.path))
        from folders f where f.id = new.folder_id
      on conflict (asset_id) do update set document = excluded.document;
      return new;
    end $$`.execute(db);
  await sql`create trigger asset_search_insert after insert on assets
    for each row execute function dailies_asset_search_sync()`.execute(db);
  await sql`create trigger asset_search_update after update of name, folder_id on assets
    for each row execute function dailies_asset_search_sync()`.execute(db);
  await sql`create trigger asset_search_delete after delete on assets
    for each row execute function dailies_asset_search_sync()`.execute(db);
  await sql`create function dailies_folder_search_sync() returns trigger language plpgsql as $$
    begin
      update asset_search s
        set document = to_tsvector('simple', dailies_search_text(a.name || ' ' || new.path))
        from assets a where a.folder_id = new.id and s.asset_id = a.id;
      return new;
    end $$`.execute(db);
  await sql`create trigger asset_search_folder_path after update of path on folders
    for each row when (new.path is distinct from old.path)
    execute function dailies_folder_search_sync()`.execute(db);
  await sql`insert into asset_search (asset_id, document)
    select a.id, to_tsvector('simple', dailies_search_text(a.name || ' ' || f.path))
    from assets a join folders f on f.id = a.folder_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('assets_search_sort_name').ifExists().execute();
  for (const column of ['kind', 'state', 'created_at', 'updated_at', 'size', 'video_codec']) {
    await db.schema.dropIndex(`assets_search_${column}`).ifExists().execute();
  }
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const t of ['asset_search_insert', 'asset_search_update', 'asset_search_delete'])
      await sql`drop trigger if exists ${sql.raw(t)} on assets`.execute(db);
    await sql`drop trigger if exists asset_search_folder_path on folders`.execute(db);
    await sql`drop function if exists dailies_asset_search_sync()`.execute(db);
    await sql`drop function if exists dailies_folder_search_sync()`.execute(db);
    await sql`drop table if exists asset_search`.execute(db);
    await sql`drop function if exists dailies_search_text(text)`.execute(db);
    return;
  }
  for (const t of [
    'asset_search_insert',
    'asset_search_update',
    'asset_search_delete',
    'asset_search_folder_path',
  ])
    await sql`drop trigger if exists ${sql.raw(t)}`.execute(db);
  await sql`drop table if exists asset_search`.execute(db);
  await sql`drop table if exists asset_search_rows`.execute(db);
}
