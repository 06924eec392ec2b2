/**
 * The query plans behind the search benchmark, on a catalog kept by `DAILIES_BENCH_KEEP=1
 * npx tsx bench/search.ts`: each of the repository's statements for one query of each kind,
 * for the admin and the editor, with EXPLAIN ANALYZE on PostgreSQL (times per plan node) and
 * EXPLAIN QUERY PLAN plus the elapsed time on SQLite.
 *
 *   DAILIES_BENCH_SQLITE_DIR=… npx tsx bench/search-plans.ts sqlite
 *   DAILIES_BENCH_DATABASE_URL=… npx tsx bench/search-plans.ts postgres
 */
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../server/src/adapters/db/database.js';
import { POSTGRES_SESSION_OPTIONS } from '../server/src/adapters/db/dialect.js';
import { KyselySearchRepository } from '../server/src/adapters/db/search.repository.js';
import { searchWords } from '../server/src/features/search/search.service.js';
import type { SearchFilters, SearchScope } from '../server/src/ports/search.js';
import { PROJECT } from './search-seed.js';

const kind = process.argv[2] as 'sqlite' | 'postgres';
const only = process.argv[3];
const captured: Array<{ sql: string; parameters: readonly unknown[] }> = [];
const log = (event: { level: string; query: { sql: string; parameters: readonly unknown[] } }) => {
  // The word statistics the repository reads (and keeps) on PostgreSQL are not a search statement.
  if (event.level === 'query' && !event.query.sql.includes('pg_stats')) captured.push(event.query);
};
let db: Kysely<Database>;
let explain: (text: string, parameters: readonly unknown[]) => Promise<string>;
if (kind === 'postgres') {
  const pool = new pg.Pool({
    connectionString: process.env.DAILIES_BENCH_DATABASE_URL,
    max: 1,
    options: POSTGRES_SESSION_OPTIONS,
  });
  db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
    log,
  });
  explain = async (text, parameters) => {
    const { rows } = await pool.query(`explain (analyze, buffers) ${text}`, parameters as unknown[]);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  };
} else {
  const database = new SQLite(join(process.env.DAILIES_BENCH_SQLITE_DIR!, 'dailies.sqlite'));
  db = new Kysely<Database>({
    dialect: new SqliteDialect({ database }),
    plugins: [new CamelCasePlugin()],
    log,
  });
  explain = async (text, parameters) => {
    const plan = database
      .prepare(`explain query plan ${text}`)
      .all(...(parameters as unknown[]))
      .map((r: any) => `${'  '.repeat(r.parent === 0 ? 0 : 1)}${r.id}<${r.parent} ${r.detail}`);
    const t0 = performance.now();
    database.prepare(text).all(...(parameters as unknown[]));
    return `${plan.join('\n')}\n  elapsed ${(performance.now() - t0).toFixed(1)} ms`;
  };
}

const repo = new KyselySearchRepository(db, kind);
const queries: Array<[string, SearchFilters]> = [
  ['camera roll', { words: searchWords('A123'), kinds: ['video'], states: ['ready'] }],
  ['clip prefix', { words: searchWords('A12'), resolutions: ['UHD'], formats: ['MOV'] }],
  ['folder path', { words: searchWords('shoot day 034 cam'), videoCodecs: ['prores'], resolutions: ['HD'] }],
  ['scene', { words: searchWords('scene 12 take'), kinds: ['audio'], uploadedBy: ['alice', 'bob'] }],
  ['no text', { words: [], kinds: ['video'], states: ['ready'] }],
];
const scopes: Array<[string, SearchScope]> = [
  ['admin', { all: true }],
  ['editor', { all: false, groups: ['editors', PROJECT] }],
];
for (const [label, filters] of queries) {
  if (only && !label.includes(only)) continue;
  for (const [who, scope] of scopes) {
    captured.length = 0;
    await repo.page({ ...filters, scope, sort: 'name', order: 'asc', limit: 101 });
    await repo.count({ ...filters, scope });
    await repo.facets({ ...filters, scope });
    for (const [step, query] of ['page', 'count', 'facets', 'facet locations'].map(
      (s, i) => [s, captured[i]] as const,
    )) {
      console.log(`\n=== ${label} · ${who} · ${step}`);
      console.log(await explain(query.sql, query.parameters));
    }
  }
}
await db.destroy();
