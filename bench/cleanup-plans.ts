/**
 * The clean-up tab's queries at scale, on SQLite and PostgreSQL: each list and its totals timed
 * (median of 15) and explained, with the lists' covering indexes (2026-12-03T0925) and, for
 * comparison, with the index the failed list had before.
 *
 *   npx tsx bench/cleanup-plans.ts [assets=1000000] [catalogs=sqlite,postgres]
 * PostgreSQL: needs DAILIES_TEST_DATABASE_URL (scripts/test-services.sh prints it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../server/src/config.js';
import { SYSTEM_ACTOR } from '../server/src/features/access/actor.js';
import { createDailies } from '../server/src/wiring.js';
import { testDatabaseUrl } from '../server/test/support/services.js';
import { seedCatalog } from './seed-catalog.js';
import { print, round } from './support.js';

const total = Number(process.argv[2] ?? 1_000_000);
const catalogs = (process.argv[3] ?? 'sqlite,postgres').split(',') as Array<'sqlite' | 'postgres'>;

for (const kind of catalogs) {
  const dataDir = await mkdtemp(join(tmpdir(), 'dailies-bench-cleanup-'));
  const databaseUrl = kind === 'postgres' ? await testDatabaseUrl() : undefined;
  const dailies = await createDailies(
    loadConfig({}, { dataDir, databaseUrl, watchLake: false, reconcileInterval: 0, secret: 'bench' }),
    { onFirstAdminPassword: () => {} },
  );
  const { db } = dailies.connection;
  await seedCatalog(dailies, total, 10_000);
  // A share of the trash, as a week of clean-ups would leave it.
  await sql`update assets set trashed_at = created_at where created_at % 20 = 3`.execute(db);
  if (kind === 'postgres') await sql`vacuum analyze assets`.execute(db);
  else await sql`analyze`.execute(db);
  // As the repository asks (SQLite: through the partial index by name, which `indexed by` needs to exist).
  const failedFrom = kind === 'sqlite' ? sql`assets indexed by assets_failed` : sql`assets`;
  const totalsOfFailed = (from: typeof failedFrom) =>
    sql`select count(*) as n, sum(size) as bytes from ${from} where state = 'failed' and trashed_at is null and 1 = 1`;
  let failedTotals = totalsOfFailed(failedFrom);
  const trashTotals = sql`select count(*) as n, sum(size) as bytes from assets where trashed_at is not null and trashed_at < ${Date.now()} and 1 = 1`;
  const explain = async (query: typeof failedTotals) => {
    const prefix = kind === 'postgres' ? sql.raw('explain ') : sql.raw('explain query plan ');
    const { rows } = await sql<Record<string, string>>`${prefix}${query}`.execute(db);
    return rows.map((r) => r['QUERY PLAN'] ?? r.detail).join(' | ');
  };
  const median = async (work: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      await work();
      times.push(performance.now() - t0);
    }
    return round(times.sort((a, b) => a - b)[7]!);
  };
  const figures: Record<string, unknown> = {
    assets: total,
    failedTotalsMs: await median(() => failedTotals.execute(db)),
    failedPlan: await explain(failedTotals),
    trashTotalsMs: await median(() => trashTotals.execute(db)),
    trashPlan: await explain(trashTotals),
    cleanupAnswerMs: await median(() => dailies.cleanup.candidates(SYSTEM_ACTOR)),
  };
  // The index the failed list had before, for the comparison (the answer's figure below still
  // names it on SQLite; the totals' figure asks as before).
  await sql`drop index assets_failed`.execute(db);
  await sql`drop index assets_trash_sizes`.execute(db);
  await sql`create index assets_failed on assets (updated_at, id) where state = 'failed' and trashed_at is null`.execute(
    db,
  );
  if (kind === 'postgres') await sql`vacuum analyze assets`.execute(db);
  else await sql`analyze`.execute(db);
  // The query as the repository asked it before (no index named).
  failedTotals = totalsOfFailed(sql`assets`);
  figures.before = {
    failedTotalsMs: await median(() => failedTotals.execute(db)),
    failedPlan: await explain(failedTotals),
    trashTotalsMs: await median(() => trashTotals.execute(db)),
    trashPlan: await explain(trashTotals),
    cleanupAnswerMs: await median(() => dailies.cleanup.candidates(SYSTEM_ACTOR)),
  };
  print(`clean-up lists (${kind}, ${total} assets, ms)`, figures);
  await dailies.close();
  await rm(dataDir, { recursive: true, force: true });
}
