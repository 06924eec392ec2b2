import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Every search word is a prefix, and a prefix that starts many words (`day`, `cam`, `a1`)
 * made both engines gather the postings of every such word before intersecting them: 1.2 s
 * for `shoot day 034 cam` over 1,000,000 assets on SQLite. The index now also holds each
 * word's first 1 to 6 characters, so a prefix of up to 6 characters is one posting list that
 * the AND can skip through (1 ms); longer prefixes start few words and stay cheap as they are.
 * SQLite: FTS5's own prefix indexes. PostgreSQL: the prefixes are lexemes of the tsvector
 * (a lexeme stands for "a word starting with this"; words longer than 6 are kept whole for
 * `word:*`), see `dailies_search_document`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await upPostgres(db);
  else await rebuildSqlite(db, `prefix='1 2 3 4 5 6',`);
}

async function rebuildSqlite(db: Kysely<any>, prefix: string): Promise<void> {
  // The triggers name asset_search in their bodies, which are resolved when they fire.
  await sql`drop table asset_search`.execute(db);
  await sql
    .raw(
      `create virtual table asset_search using fts5(name, path, ${prefix} content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`,
    )
    .execute(db);
  await sql`insert into asset_search (rowid, name, path)
    select r.seq, a.name, f.path from asset_search_rows r
    join assets a on a.id = r.asset_id join folders f on f.id = a.folder_id`.execute(db);
}

async function upPostgres(db: Kysely<any>): Promise<void> {
  // The words as to_tsvector splits them, then for each its prefixes up to 6 characters and,
  // when longer, the whole word.
  await sql`create function dailies_search_document(value text) returns tsvector
    language sql immutable parallel safe strict
    as $$ select array_to_tsvector(coalesce(array(
      select distinct p from unnest(tsvector_to_array(to_tsvector('simple', dailies_search_text(value)))) w,
        lateral (select left(w, n) as p from generate_series(1, least(length(w), 6)) n
                 union all select w where length(w) > 6) x), '{}')) $$`.execute(db);
  await setPostgresDocument(db, (text) => `dailies_search_document(${text})`);
}

/** Points both triggers' functions at `documentOf` and recomputes every document. */
async function setPostgresDocument(db: Kysely<any>, documentOf: (text: string) => string): Promise<void> {
  const document = (text: string) => sql.raw(documentOf(text));
  await sql`create or replace function dailies_asset_search_sync() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        delete from asset_search where asset_id = old.id;
        return old;
      end if;
      insert into asset_search (asset_id, document)
        select new.id, ${document("new.name || ' ' || f.path")}
        from folders f where f.id = new.folder_id
      on conflict (asset_id) do update set document = excluded.document;
      return new;
    end $$`.execute(db);
  await sql`create or replace function dailies_folder_search_sync() returns trigger language plpgsql as $$
    begin
      update asset_search s
        set document = ${document("a.name || ' ' || new.path")}
        from assets a where a.folder_id = new.id and s.asset_id = a.id;
      return new;
    end $$`.execute(db);
  // Rebuilt rather than updated in place: a fresh table and index, 1,000,000 rows in one pass.
  await sql`drop index asset_search_document`.execute(db);
  await sql`truncate asset_search`.execute(db);
  await sql`insert into asset_search (asset_id, document)
    select a.id, ${document("a.name || ' ' || f.path")}
    from assets a join folders f on f.id = a.folder_id`.execute(db);
  await sql`create index asset_search_document on asset_search using gin (document)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await setPostgresDocument(db, (text) => `to_tsvector('simple', dailies_search_text(${text}))`);
    await sql`drop function if exists dailies_search_document(text)`.execute(db);
    return;
  }
  await rebuildSqlite(db, '');
}
