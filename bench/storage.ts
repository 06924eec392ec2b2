/**
 * The storage page at scale: a catalog of N assets (default 1,000,000) in 10,000 folders, on
 * SQLite and PostgreSQL. Prints
 *  - the first answer after seeding (every change still unfolded, so the read folds first),
 *    the fold's own time, then p50/p95 of the page's answers (admin at the root, an editor who
 *    sees a tenth of the folders, a drill-down, growth, duplicates, clean-up) — goal p95 ≤ 200 ms;
 *  - what keeping the sums costs on the write paths: a reconcile batch (5,000 assets in one
 *    transaction), single inserts (an upload's index) and moves (an asset's folder changed),
 *    each timed with the storage triggers on and off, in alternating rounds — goal ≤ 5 %.
 *
 *   npx tsx bench/storage.ts [assets=1000000] [folders=10000] [catalogs=sqlite,postgres] [parts=page,upkeep]
 * (`parts`: `page` the answers, `upkeep` the write paths; one of them alone for a quicker run).
 * PostgreSQL: needs DAILIES_TEST_DATABASE_URL (scripts/test-services.sh prints it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../server/src/config.js';
import type { Actor } from '../server/src/features/access/actor.js';
import { SYSTEM_ACTOR } from '../server/src/features/access/actor.js';
import { newAsset } from '../server/src/features/assets/asset-factory.js';
import type { Asset } from '../server/src/ports/catalog.js';
import { createDailies, type Dailies } from '../server/src/wiring.js';
import { testDatabaseUrl } from '../server/test/support/services.js';
import { seedCatalog } from './seed-catalog.js';
import { postgresCpu, print, round, summary } from './support.js';

const total = Number(process.argv[2] ?? 1_000_000);
const folderCount = Number(process.argv[3] ?? 10_000);
const catalogs = (process.argv[4] ?? 'sqlite,postgres').split(',') as Array<'sqlite' | 'postgres'>;
const parts = new Set((process.argv[5] ?? 'page,upkeep').split(','));
const SAMPLES = 30;
const ROUNDS = 10;
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
      kind,
      folders.map((f) => f.id),
    );
    print(`keeping the sums (${kind}, ms; overhead = on / off − 1)`, upkeep);
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

/** Each write path timed with the storage triggers on and off, in alternating rounds; medians. */
async function upkeepCost(dailies: Dailies, kind: 'sqlite' | 'postgres', folderIds: string[]) {
  const { db } = dailies.connection;
  const { catalog } = dailies;
  const saved =
    kind === 'sqlite'
      ? (
          await sql<{
            name: string;
            sql: string;
          }>`select name, sql from sqlite_master where type = 'trigger' and name like 'storage_%'`.execute(db)
        ).rows
      : [];
  let current = true;
  const triggers = async (on: boolean) => {
    if (on === current) return;
    current = on;
    if (kind === 'postgres') {
      for (const [table, name] of [
        ['assets', 'storage_assets_inserted'],
        ['assets', 'storage_assets_deleted'],
        ['assets', 'storage_asset_updated'],
      ])
        await sql.raw(`alter table ${table} ${on ? 'enable' : 'disable'} trigger ${name}`).execute(db);
    } else if (on) for (const t of saved) await sql.raw(t.sql).execute(db);
    else for (const t of saved) await sql.raw(`drop trigger ${t.name}`).execute(db);
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
  const results: Record<string, { on: Sample[]; off: Sample[] }> = {
    reconcileBatch5000: { on: [], off: [] },
    upload1000: { on: [], off: [] },
    move1000: { on: [], off: [] },
  };
  // CPU time (SQLite: this process; PostgreSQL: its backends) moves far less than wall time
  // when the shared machine is busy; both are printed.
  const pool = dailies.connection.postgresPool;
  const measure = async (work: () => Promise<unknown>): Promise<Sample> => {
    const backend = pool ? await postgresCpu((text) => pool.query(text)) : null;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await work();
    const wall = performance.now() - t0;
    const { user, system } = process.cpuUsage(c0);
    const cpu = backend ? ((await backend()) ?? Number.NaN) : (user + system) / 1000;
    return { wall, cpu };
  };
  for (let r = 0; r < ROUNDS * 2; r++) {
    const on = r % 4 === 0 || r % 4 === 3; // on, off, off, on, ...: neither side always goes first
    await triggers(on);
    const side = on ? 'on' : 'off';
    const batch = fresh(5000);
    results.reconcileBatch5000![side].push(
      await measure(() => catalog.transaction((trx) => trx.assets.insertMany(batch))),
    );
    const singles = fresh(1000);
    results.upload1000![side].push(
      await measure(async () => {
        for (const asset of singles) await catalog.assets.insert(asset);
      }),
    );
    results.move1000![side].push(
      await measure(async () => {
        for (const asset of singles)
          await catalog.assets.update(asset.id, {
            folderId: folderIds[(folderIds.indexOf(asset.folderId) + 1) % folderIds.length]!,
          });
      }),
    );
  }
  await triggers(true);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const out: Record<string, unknown> = {};
  for (const [name, { on, off }] of Object.entries(results)) {
    const figure = (key: 'wall' | 'cpu') => {
      const a = median(on.map((x) => x[key]));
      const b = median(off.map((x) => x[key]));
      return { on: round(a), off: round(b), overheadPercent: round((a / b - 1) * 100, 1) };
    };
    out[name] = { cpu: figure('cpu'), wall: figure('wall') };
  }
  out.loadAverage = (await import('node:os')).loadavg().map((x) => round(x));
  return out;
}
