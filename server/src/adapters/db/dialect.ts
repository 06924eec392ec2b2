import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import type { WordPlan } from './search-word-statistics.js';
import { SqliteReaderDialect, SqliteReaders } from './sqlite-readers.js';
import { keepingStatements } from './sqlite-statements.mjs';

/** Every difference between SQLite and PostgreSQL lives in this file. */
export type DialectName = 'sqlite' | 'postgres';

// int8 (bigint) columns hold epoch ms and byte sizes, all below 2^53.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
// numeric/float8 come back as numbers too.
pg.types.setTypeParser(1700, (value) => Number.parseFloat(value));

export interface CatalogConnection {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The raw client, for dialect-specific features (LISTEN/NOTIFY, pg-boss). */
  postgresPool?: pg.Pool;
  close(): Promise<void>;
}

/**
 * Settings of every catalog session on PostgreSQL. The catalog serves many short statements
 * at once: a JIT compile (hundreds of ms) never pays back, and parallel workers took 100–370
 * ms to start on a busy machine for searches whose own work was 1–25 ms (EXPLAIN ANALYZE of
 * bench/search-plans.ts), so a statement runs in its own backend only.
 */
export const POSTGRES_SESSION_OPTIONS = '-c jit=off -c max_parallel_workers_per_gather=0';

/**
 * Reader threads of a SQLite catalog file (sqlite-readers.ts). Two: on a small machine more
 * threads only take turns on the same cores, and the main thread still shapes every answer.
 */
export const SQLITE_READERS = 2;

export function connectCatalog(options: {
  databaseUrl?: string;
  sqliteFile: string;
  /** SQLite: threads answering SELECTs; 0 runs them on the main connection. An in-memory database has none. */
  sqliteReaders?: number;
}): CatalogConnection {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      // Idle connections are kept (pg closes them after 10 s by default). A new backend pays
      // page faults on every shared buffer it touches first: a text search over 1,000,000
      // assets found all its 9,861 buffers in shared memory and took 302 ms on a new
      // connection, 31 ms when run again on it; a search after a quiet spell paid that again.
      idleTimeoutMillis: 0,
      options: POSTGRES_SESSION_OPTIONS,
    });
    // An idle connection that PostgreSQL ends (a restart, an administrator, a dropped
    // database) is taken out of the pool by pg; unheard, its error would end the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      plugins: [new CamelCasePlugin()],
    });
    return { db, dialect: 'postgres', postgresPool: pool, close: () => db.destroy() };
  }
  const database = new SQLite(options.sqliteFile);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  // Pages are read through a memory map of the file (up to SQLite's own cap of 2 GiB)
  // instead of copied into a 16 MB private cache: a text search over 1,000,000 assets read
  // 15,000 search rows in 58 ms through the cache and in 20 ms through the map, and the
  // mapped pages are the kernel's file cache, not memory of this process.
  const mmapSize = 2 ** 31;
  database.pragma(`mmap_size = ${mmapSize}`);
  const readers = options.sqliteReaders ?? SQLITE_READERS;
  const inMemory = options.sqliteFile === '' || options.sqliteFile === ':memory:';
  const writer = { database: keepingStatements(database) };
  const db = new Kysely<Database>({
    dialect:
      readers > 0 && !inMemory
        ? new SqliteReaderDialect(writer, new SqliteReaders(options.sqliteFile, readers, mmapSize))
        : new SqliteDialect(writer),
    plugins: [new CamelCasePlugin()],
  });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/** True when the error is a unique-constraint violation on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

/**
 * Prefixes up to this many characters are indexed as such (FTS5 prefix indexes; lexemes of
 * PostgreSQL's document), so matching one reads a single posting list. The search-prefixes
 * migration fixes the number on both dialects.
 */
export const INDEXED_PREFIX = 6;

/**
 * The copy of each asset's filter and sort columns that the search rows carry (the
 * search-rows migration made it; triggers keep it), so matches are filtered where they are found.
 */
const SEARCH_ROW_COLUMNS =
  'folder_id, trashed_at, sort_name, format, kind, size, state, duration, width, height, frame_rate, ' +
  'video_codec, audio_codec, audio_tracks, uploaded_by, created_at, updated_at';

/**
 * The search rows (`id` and the copied columns) of assets whose name or folder path has a
 * word starting with each of the plan's words (already folded: lower case, no accents,
 * letters and digits only, so nothing in them is query syntax). On PostgreSQL the driving
 * words are looked up in the index and the checked ones tested on the rows found
 * (`ts_match_vq` is `@@` under a name no index answers); FTS5 takes them all.
 */
export function searchRowsMatchingWords(dialect: DialectName, { driving, checked }: WordPlan) {
  if (dialect === 'postgres') {
    // An indexed prefix is a lexeme of its own; a longer one is matched against whole words.
    const tsquery = (words: string[]) =>
      sql`to_tsquery('simple', public.unaccent('public.unaccent'::regdictionary, ${words
        .map((w) => ([...w].length <= INDEXED_PREFIX ? w : `${w}:*`))
        .join(' & ')}))`;
    const check = checked.length > 0 ? sql` and ts_match_vq(document, ${tsquery(checked)})` : sql``;
    return sql`select asset_id as id, ${sql.raw(SEARCH_ROW_COLUMNS)} from asset_search
      where document @@ ${tsquery(driving)}${check}`;
  }
  const query = [...driving, ...checked].map((w) => `"${w}"*`).join(' ');
  const columns = sql.raw(SEARCH_ROW_COLUMNS.replace(/(\w+)/g, 'r.$1'));
  return sql`select r.asset_id as id, ${columns} from asset_search s cross join asset_search_rows r
    where r.seq = s.rowid and asset_search match ${query}`;
}

/**
 * Every search row (`id` and the copied columns): narrower than the assets, and covered by
 * the search-facet-index migration's index, so a count or the facets without text read an
 * index alone.
 */
export function allSearchRows(dialect: DialectName) {
  const table = sql.raw(dialect === 'postgres' ? 'asset_search' : 'asset_search_rows');
  return sql`select asset_id as id, ${sql.raw(SEARCH_ROW_COLUMNS)} from ${table}`;
}
