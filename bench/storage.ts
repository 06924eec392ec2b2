/**
 * The storage page at scale: a catalog of N assets (default 1,000,000) in 10,000 folders, on
 * SQLite and PostgreSQL. Prints
 *  - the first answer after seeding (every change still unfolded, so the read folds first),
 *    the fold's own time, then p50/p95 of the page's answers (admin at the root, an editor who
 *    sees a tenth of the folders, a drill-down, growth, duplicates, clean-up) — goal p95 ≤ 200 ms;
 *  - what keeping the sums costs on the write paths: a reconcile batch (5,000 assets in one
 *    transaction), single inserts (an upload's index) and moves (an asset's folder changed),
 *    each timed with the storage triggers off, as first made and as now (lean), in rotating
 *    rounds — goal ≤ 5 %. BENCH_ROUNDS, BENCH_BATCH, BENCH_SINGLES make it shorter,
 *    BENCH_SIDES=off,lean leaves the first triggers out.
 *
 *   npx tsx bench/storage.ts [assets=1000000] [folders=10000] [catalogs=sqlite,postgres] [parts=page,upkeep]
 * (`parts`: `page` the answers, `upkeep` the write paths; one of them alone for a quicker run).
 * PostgreSQL: needs DAILIES_TEST_DATABASE_URL (scripts/test-services.sh prints it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import {
  dropStorageTriggers,
  storageTriggers,
} from '../server/src/adapters/db/migrations/2026-12-03T0500-storage-sums.js';
import { up as leanTriggers } from '../server/src/adapters/db/migrations/2026-12-03T0910-storage-triggers-lean.js';
import { loadConfig } from '../server/src/config.js';
import type { Actor } from '../server/src/features/access/actor.js';
import { SYSTEM_ACTOR } from '../server/src/features/access/actor.js';
import { newAsset } from '../server/src/features/assets/asset-factory.js';
import type { Asset } from '../server/src/ports/catalog.js';
import { createDailies, type Dailies } from '../server/src/wiring.js';
import { testDatabaseUrl } from '../server/test/support/services.js';
import { seedCatalog } from './seed-catalog.js';
import { postgresCpu, print, round, summary, wallAndCpu } from './support.js';

const total = Number(process.argv[2] ?? 1_000_000);
const folderCount = Number(process.argv[3] ?? 10_000);
const catalogs = (process.argv[4] ?? 'sqlite,postgres').split(',') as Array<'sqlite' | 'postgres'>;
const parts = new Set((process.argv[5] ?? 'page,upkeep').split(','));
const SAMPLES = 30;
/** Upkeep rounds (each times every side once), rows per batch, single inserts and moves per side. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const BATCH = Number(process.env.BENCH_BATCH ?? 5000);
const SINGLES = Number(process.env.BENCH_SINGLES ?? 1000);
/** Which triggers the upkeep times (`off,lean` alone for a shorter run). */
const SIDES = (process.env.BENCH_SIDES ?? 'off,first,lean').split(',');
/** Sees every day (editors) and the camera folders of team 3 (a tenth), given below. */
const editor: Actor = {
  id: 'bench-editor',
  username: 'eddie',
  groups: ['editors', 'team-3'],
  isAdmin: false,
};

for (const kind of catalogs) {
  const dataDir = await mkdtemp(join(tmpdir(), 'dailies-bench-storage-'));
  const databaseUrl = kind === 'postgres' ? await testDatabaseUrl() : undefined;
  const dailies = await createDailies(
    loadConfig({}, { dataDir, databaseUrl, watchLake: false, reconcileInterval: 0, secret: 'bench' }),
    { onFirstAdminPassword: () => {} },
  );
  const started = performance.now();
  const folders = await seedCatalog(dailies, total, folderCount);
  const figures: Record<string, unknown> = {
    assets: total,
    folders: folderCount,
    seedSeconds: Math.round((performance.now() - started) / 1000),
    pendingAfterSeed: await dailies.storage.repository.pending(),
  };
  // The seed gives camera folders (admin, team-N) under days (admin, editors), so nobody but
  // admins would see them; team 3's are opened to team 3 as a folder-groups change would.
  await sql`insert into folder_access (folder_id, group_name) select id, 'team-3' from folders where id like 'folder-%3'`.execute(
    dailies.connection.db,
  );
  // Same checksums on a share of assets, so the duplicates answer has work to do.
  await sql`update assets set checksum_xxh64 = 'dup' || (cast(substr(id, 1, 8) as text)) where created_at % 50 = 0`.execute(
    dailies.connection.db,
  );
  await sql`update assets set checksum_xxh64 = 'same' || (created_at % 5000) where created_at % 50 = 1`.execute(
    dailies.connection.db,
  );
  if (parts.has('page')) await pageAnswers(dailies, figures, kind);
  if (parts.has('upkeep')) {
    const upkeep = await upkeepCost(
      dailies,
      folders.map((f) => f.id),
    );
    print(`keeping the sums (${kind}, ${total} assets, ms; overhead = with / off − 1)`, upkeep);
  }
  await dailies.close();
  await rm(dataDir, { recursive: true, force: true });
}

/** The storage page's answers: the first (everything unfolded), the fold, then each answer's p50/p95. */
async function pageAnswers(dailies: Dailies, figures: Record<string, unknown>, kind: string) {
  figures.firstAnswerUnfolded = await time(() => dailies.storage.overview(SYSTEM_ACTOR, '/'));
  figures.foldMs = await time(() => dailies.storage.fold());
  await dailies.storage.recordDay();
  const answers: Record<string, () => Promise<unknown>> = {
    adminRoot: () => dailies.storage.overview(SYSTEM_ACTOR, '/'),
    editorRoot: () => dailies.storage.overview(editor, '/'),
    adminDay: () => dailies.storage.overview(SYSTEM_ACTOR, '/Day 001'),
    growth: () => dailies.storage.growth(editor, 90),
    duplicates: () => dailies.cleanup.duplicates(SYSTEM_ACTOR, 100),
    cleanup: () => dailies.cleanup.candidates(SYSTEM_ACTOR),
  };
  for (const [name, answer] of Object.entries(answers)) {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let s = 0; s < SAMPLES; s++) {
      const sample = await measureAnswer(dailies, answer);
      wall.push(sample.wall);
      cpu.push(sample.cpu);
    }
    figures[name] = { wall: summary(wall), cpu: summary(cpu) };
  }
  figures.loadAverage = (await import('node:os')).loadavg().map((x) => round(x));
  print(`storage page (${kind}, ${total} assets, ms)`, figures);
}

/**
 * One answer's wall time and CPU time: this process's (SQLite runs in it; on PostgreSQL the
 * process shapes the answer) plus, on PostgreSQL, its backends'. CPU time is what a loaded,
 * shared machine changes least.
 */
async function measureAnswer(dailies: Dailies, work: () => Promise<unknown>) {
  const pool = dailies.connection.postgresPool;
  const backend = pool ? await postgresCpu((text) => pool.query(text)) : null;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  JSON.stringify(await work());
  const wall = performance.now() - t0;
  const { user, system } = process.cpuUsage(c0);
  const cpu = (user + system) / 1000 + (backend ? ((await backend()) ?? 0) : 0);
  return { wall: round(wall), cpu: round(cpu) };
}

async function time(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  JSON.stringify(await work());
  return round(performance.now() - t0);
}

/**
 * Each write path timed with the storage triggers off, as the first migration made them
 * (`first`), and as they are now (`lean`, 2026-12-03T0910), in rounds whose order rotates;
 * medians. Overhead = with / off − 1.
 */
async function upkeepCost(dailies: Dailies, folderIds: string[]) {
  const { db } = dailies.connection;
  const { catalog } = dailies;
  type Side = 'off' | 'first' | 'lean';
  let current: Side = 'lean';
  const triggers = async (side: Side) => {
    if (side === current) return;
    if (current !== 'off') await dropStorageTriggers(db);
    current = side;
    if (side === 'off') return;
    await storageTriggers(db);
    if (side === 'lean') await leanTriggers(db);
  };
  let n = 0;
  const fresh = (count: number): Asset[] =>
    Array.from({ length: count }, () => {
      n++;
      const now = Date.now();
      return newAsset(
        { key: '', size: 1000 + n, etag: `b${n}`, mtime: now } as never,
        folderIds[(n * 7919) % folderIds.length]!,
        `bench-${n}.mov`,
        now,
      );
    });
  type Sample = { wall: number; cpu: number };
  const sides = (): Record<Side, Sample[]> => ({ off: [], first: [], lean: [] });
  const results: Record<string, Record<Side, Sample[]>> = {
    [`reconcileBatch${BATCH}`]: sides(),
    [`upload${SINGLES}`]: sides(),
    [`move${SINGLES}`]: sides(),
  };
  // CPU time (SQLite: this process; PostgreSQL: its backends) moves far less than wall time
  // when the shared machine is busy; both are printed.
  const pool = dailies.connection.postgresPool;
  const measure = async (work: () => Promise<unknown>): Promise<Sample> => {
    const { wall, processCpu, catalogCpu } = await wallAndCpu(pool, work);
    return { wall, cpu: pool ? catalogCpu : processCpu };
  };
  const orders: Side[][] = [
    ['off', 'first', 'lean'],
    ['lean', 'first', 'off'],
    ['first', 'lean', 'off'],
    ['off', 'lean', 'first'],
    ['first', 'off', 'lean'],
    ['lean', 'off', 'first'],
  ];
  for (let r = 0; r < ROUNDS; r++) {
    for (const side of orders[r % orders.length]!.filter((x) => SIDES.includes(x))) {
      await triggers(side);
      const batch = fresh(BATCH);
      results[`reconcileBatch${BATCH}`]![side].push(
        await measure(() => catalog.transaction((trx) => trx.assets.insertMany(batch))),
      );
      const singles = fresh(SINGLES);
      results[`upload${SINGLES}`]![side].push(
        await measure(async () => {
          for (const asset of singles) await catalog.assets.insert(asset);
        }),
      );
      results[`move${SINGLES}`]![side].push(
        await measure(async () => {
          for (const asset of singles)
            await catalog.assets.update(asset.id, {
              folderId: folderIds[(folderIds.indexOf(asset.folderId) + 1) % folderIds.length]!,
            });
        }),
      );
    }
  }
  await triggers('lean');
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const out: Record<string, unknown> = {};
  for (const [name, bySide] of Object.entries(results)) {
    const figure = (key: 'wall' | 'cpu') => {
      const [off, first, lean] = (['off', 'first', 'lean'] as const).map((side) =>
        bySide[side].length ? median(bySide[side].map((x) => x[key])) : Number.NaN,
      ) as [number, number, number];
      // Each round's own ratio (sides a moment apart), so load drifting between rounds cancels.
      const paired = bySide.off.map((o, i) => bySide.lean[i]![key] / o[key]);
      return {
        off: round(off),
        first: round(first),
        lean: round(lean),
        firstOverheadPercent: round((first / off - 1) * 100, 1),
        leanOverheadPercent: round((lean / off - 1) * 100, 1),
        leanPairedOverheadPercent: round((median(paired) - 1) * 100, 1),
      };
    };
    out[name] = { cpu: figure('cpu'), wall: figure('wall') };
  }
  out.loadAverage = (await import('node:os')).loadavg().map((x) => round(x));
  return out;
}
