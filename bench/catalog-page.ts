/**
 * A catalog of 1,000,000 assets in 10,000 folders: p50/p95 of one folder page (100 rows,
 * through AssetsService.list: access check, page, count, views) sorted by name and by
 * modified date, on SQLite and on PostgreSQL. Goal: p95 ≤ 20 ms each.
 *
 *   npx tsx bench/catalog-page.ts [assets=1000000] [folders=10000] [sums]
 * PostgreSQL: needs DAILIES_TEST_DATABASE_URL (scripts/test-services.sh prints it).
 *
 * With `sums`, what keeping the storage sums costs (issue 17): BENCH_ROUNDS rounds (default 6),
 * each timing the pages and BENCH_WRITES single-asset uploads (the index write an upload ends
 * with) and moves (an asset's folder changed) with the sums' triggers on and off, in rotating
 * order within the one run; medians and overhead = on / off − 1. A page reads no sums and runs
 * no trigger, so its figure is the run's noise floor.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../server/src/config.js';
import { SYSTEM_ACTOR } from '../server/src/features/access/actor.js';
import { newAsset } from '../server/src/features/assets/asset-factory.js';
import { createDailies, type Dailies } from '../server/src/wiring.js';
import { testDatabaseUrl } from '../server/test/support/services.js';
import { type SeededFolder, seedCatalog } from './seed-catalog.js';
import { overhead, type SumsSide, setSums, sidesOfRound } from './storage-sums-switch.js';
import { print, round, summary, wallAndCpu } from './support.js';

const total = Number(process.argv[2] ?? 1_000_000);
const folderCount = Number(process.argv[3] ?? 10_000);
const compareSums = process.argv[4] === 'sums';
const SAMPLES = 500;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const WRITES = Number(process.env.BENCH_WRITES ?? 1000);

for (const kind of ['sqlite', 'postgres'] as const) {
  const dataDir = await mkdtemp(join(tmpdir(), 'dailies-bench-catalog-'));
  const databaseUrl = kind === 'postgres' ? await testDatabaseUrl() : undefined;
  const dailies = await createDailies(
    loadConfig({}, { dataDir, databaseUrl, watchLake: false, reconcileInterval: 0, secret: 'bench' }),
    { onFirstAdminPassword: () => {} },
  );
  const started = performance.now();
  const folders = await seedCatalog(dailies, total, folderCount);
  const seedSeconds = (performance.now() - started) / 1000;
  const perFolder = Math.ceil(total / folderCount);

  const figures: Record<string, unknown> = {
    assets: total,
    folders: folderCount,
    perFolder,
    seedSeconds: Math.round(seedSeconds),
  };
  const pages = async (count: number, sort: 'name' | 'modified') => {
    const samples: number[] = [];
    for (let s = 0; s < count; s++) {
      const folder = folders[(s * 7907) % folderCount];
      const t0 = performance.now();
      const page = await dailies.assets.list(SYSTEM_ACTOR, {
        folder: folder.path,
        sort,
        order: s % 2 ? 'asc' : 'desc',
        limit: 100,
      });
      samples.push(performance.now() - t0);
      if (page.items.length !== Math.min(100, perFolder))
        throw new Error(`page of ${page.items.length} rows`);
    }
    return samples;
  };
  if (compareSums) {
    Object.assign(figures, await sumsCost(dailies, folders, pages));
    print(`keeping the storage sums on the catalog (${kind}, ms; overhead = on / off − 1)`, figures);
  } else {
    figures.byName = summary(await pages(SAMPLES, 'name'));
    figures.byModified = summary(await pages(SAMPLES, 'modified'));
    print(`catalog page (${kind}, ms)`, figures);
  }
  await dailies.close();
  await rm(dataDir, { recursive: true, force: true });
}

/**
 * Pages, single uploads and single moves with the sums' triggers on and off, interleaved.
 * Pages: p50 and p95 per side over all rounds. Writes: each round's total per side, medians of
 * wall time and CPU time (this process, plus PostgreSQL's backends).
 */
async function sumsCost(
  dailies: Dailies,
  folders: SeededFolder[],
  pages: (count: number, sort: 'name' | 'modified') => Promise<number[]>,
) {
  const { catalog } = dailies;
  const { db } = dailies.connection;
  const pool = dailies.connection.postgresPool;
  type Sample = { wall: number; cpu: number };
  const measure = async (work: () => Promise<unknown>): Promise<Sample> => {
    const { wall, processCpu, catalogCpu } = await wallAndCpu(pool, work);
    return { wall, cpu: processCpu + catalogCpu };
  };
  let n = 0;
  const pageSamples: Record<SumsSide, number[]> = { on: [], off: [] };
  const writes = {
    [`upload${WRITES}`]: { on: [] as Sample[], off: [] as Sample[] },
    [`move${WRITES}`]: { on: [] as Sample[], off: [] as Sample[] },
  };
  let current: SumsSide = 'on';
  for (let r = 0; r < ROUNDS; r++) {
    for (const side of sidesOfRound(r)) {
      await setSums(db, current, side);
      current = side;
      pageSamples[side].push(...(await pages(Math.ceil(SAMPLES / ROUNDS), r % 2 ? 'name' : 'modified')));
      const fresh = Array.from({ length: WRITES }, () => {
        n++;
        const folder = folders[(n * 7919) % folders.length]!;
        return newAsset(
          { key: '', size: 1000 + n, etag: `b${n}`, mtime: n } as never,
          folder.id,
          `upload-${n}.mov`,
          n,
        );
      });
      writes[`upload${WRITES}`]![side].push(
        await measure(async () => {
          for (const asset of fresh) await catalog.assets.insert(asset);
        }),
      );
      writes[`move${WRITES}`]![side].push(
        await measure(async () => {
          for (const [i, asset] of fresh.entries()) {
            const to = folders[(n + i * 31) % folders.length]!.id;
            await catalog.transaction((trx) => trx.assets.update(asset.id, { folderId: to, updatedAt: n }));
          }
        }),
      );
    }
  }
  await setSums(db, current, 'on');
  const out: Record<string, unknown> = { rounds: ROUNDS };
  const off = summary(pageSamples.off);
  const on = summary(pageSamples.on);
  out.page = {
    off,
    on,
    p50OverheadPercent: round((on.p50 / off.p50 - 1) * 100, 1),
    p95OverheadPercent: round((on.p95 / off.p95 - 1) * 100, 1),
  };
  for (const [name, bySide] of Object.entries(writes)) {
    const figure = (key: keyof Sample) =>
      overhead(
        bySide.off.map((s) => s[key]),
        bySide.on.map((s) => s[key]),
      );
    out[name] = { wall: figure('wall'), cpu: figure('cpu') };
  }
  out.loadAverage = loadavg().map((x) => round(x));
  return out;
}
