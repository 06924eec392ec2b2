/**
 * Reconcile of an fs lake of 100,000 objects that Dailies has never seen (goal ≤ 30 s),
 * then a second pass with nothing to do.
 *
 *   npx tsx bench/reconcile.ts [objects=100000] [catalogs=sqlite] [sums]
 *
 * `catalogs`: `sqlite`, `postgres` or both (`sqlite,postgres`; PostgreSQL needs
 * DAILIES_TEST_DATABASE_URL). With `sums`, what keeping the storage sums costs (issue 17): each
 * catalog is reconciled afresh BENCH_ROUNDS times (default 6) with the sums' triggers on and
 * off, the two sides interleaved in rotating order within the one run, and after the passes
 * BENCH_MOVES assets (default 500) are moved by the real move job (lake file, intent, catalog)
 * to another folder, and BENCH_UPLOADS new files (default 300) are indexed one by one as an
 * upload ends (`indexObject` with its checksums: folder, asset row, processing queued). Prints
 * medians and the overhead = on / off − 1 of each, wall and CPU time. The second pass writes
 * nothing, so its figure is the run's noise floor.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../server/src/config.js';
import type { StoredObject } from '../server/src/ports/object-store.js';
import { createDailies, type Dailies } from '../server/src/wiring.js';
import { testDatabaseUrl } from '../server/test/support/services.js';
import { overhead, type SumsSide, setSums, sidesOfRound } from './storage-sums-switch.js';
import { print, round, wallAndCpu } from './support.js';

const total = Number(process.argv[2] ?? 100_000);
const catalogs = (process.argv[3] ?? 'sqlite').split(',') as Array<'sqlite' | 'postgres'>;
const compareSums = process.argv[4] === 'sums';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const MOVES = Number(process.env.BENCH_MOVES ?? 500);
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 300);

const root = await mkdtemp(join(tmpdir(), 'dailies-bench-reconcile-'));
const lake = join(root, 'lake');
const cards = Math.ceil(total / 100);
for (let d = 0; d < cards; d++) {
  const dir = join(lake, cardPath(d).slice(1));
  await mkdir(dir, { recursive: true });
  await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      writeFile(join(dir, `C${String(d).padStart(4, '0')}_${String(i).padStart(3, '0')}.mov`), 'x'),
    ),
  );
}

function cardPath(d: number): string {
  return `/Day ${String(Math.floor(d / 50)).padStart(2, '0')}/Card ${String(d % 50).padStart(2, '0')}`;
}

let runs = 0;
/** A catalog that has never seen the lake; `drop` removes it again. */
async function freshCatalog(kind: 'sqlite' | 'postgres') {
  const dataDir = join(root, `run-${runs++}`);
  const databaseUrl = kind === 'postgres' ? await testDatabaseUrl() : undefined;
  const dailies = await createDailies(
    loadConfig({}, { dataDir, lake, databaseUrl, watchLake: false, reconcileInterval: 0, secret: 'bench' }),
    { onFirstAdminPassword: () => {} },
  );
  const drop = async () => {
    // Events published by the last writes are still on their way to PostgreSQL's bus.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await dailies.close();
    await rm(dataDir, { recursive: true, force: true });
    if (databaseUrl) {
      const name = new URL(databaseUrl).pathname.slice(1);
      const admin = new pg.Client({ connectionString: process.env.DAILIES_TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${name}`);
      await admin.end();
    }
  };
  return { dailies, drop };
}

interface Sample {
  wall: number;
  cpu: number;
}

/** Wall time and CPU time (this process, plus PostgreSQL's backends when it is the catalog). */
async function measure(dailies: Dailies, work: () => Promise<unknown>): Promise<Sample> {
  const { wall, processCpu, catalogCpu } = await wallAndCpu(dailies.connection.postgresPool, work);
  return { wall, cpu: processCpu + catalogCpu };
}

/** The real move job for MOVES assets of the first card to the second, then back (untimed). */
async function moveAssets(dailies: Dailies): Promise<Sample> {
  const { db } = dailies.connection;
  const run = async (from: string, to: string, limit: number) => {
    const folder = (await dailies.catalog.folders.getByPath(from))!;
    const { rows } = await sql<{
      id: string;
    }>`select id from assets where folder_id = ${folder.id} order by name limit ${sql.lit(limit)}`.execute(
      db,
    );
    const job = {
      id: 'bench-move',
      name: 'assets.move',
      data: { assetIds: rows.map((r) => r.id), toFolderPath: to },
    };
    const context = { attempt: 1, progress: async () => {}, signal: new AbortController().signal };
    await dailies.assets.runMove(job as never, context);
    return rows.length;
  };
  const limit = Math.min(MOVES, 100);
  let moved = 0;
  const sample = await measure(dailies, async () => {
    // Across as many cards as it takes, 100 assets a card.
    for (let d = 0; moved < MOVES && d + 1 < cards; d += 2)
      moved += await run(cardPath(d), cardPath(d + 1), limit);
  });
  for (let d = 0, back = 0; back < moved && d + 1 < cards; d += 2) {
    const folder = (await dailies.catalog.folders.getByPath(cardPath(d + 1)))!;
    const { rows } = await sql<{
      id: string;
    }>`select id from assets where folder_id = ${folder.id} and name like ${`C${String(d).padStart(4, '0')}_%`}`.execute(
      db,
    );
    const job = {
      id: 'bench-move',
      name: 'assets.move',
      data: { assetIds: rows.map((r) => r.id), toFolderPath: cardPath(d) },
    };
    await dailies.assets.runMove(job as never, {
      attempt: 1,
      progress: async () => {},
      signal: new AbortController().signal,
    });
    back += rows.length;
  }
  return sample;
}

/** UPLOADS files landed in a folder of their own (untimed), then indexed as uploads end (timed). */
async function uploadAssets(dailies: Dailies): Promise<Sample> {
  const folder = `Uploads ${runs}`;
  await mkdir(join(lake, folder), { recursive: true });
  const objects: StoredObject[] = [];
  for (let i = 0; i < UPLOADS; i++) {
    const name = `U${String(i).padStart(4, '0')}.mov`;
    await writeFile(join(lake, folder, name), 'upload');
    objects.push({ key: `${folder}/${name}`, size: 6, etag: `6-${i}`, mtime: Date.now() });
  }
  const checksums = { xxh64: '0123456789abcdef', md5: '0123456789abcdef0123456789abcdef' };
  const sample = await measure(dailies, async () => {
    for (const object of objects) await dailies.indexing.indexObject(object, { checksums });
  });
  // The next run's lake is the same as this one's.
  await rm(join(lake, folder), { recursive: true, force: true });
  return sample;
}

for (const kind of catalogs) {
  if (!compareSums) {
    const { dailies, drop } = await freshCatalog(kind);
    const t0 = performance.now();
    const first = await dailies.indexing.reconcile();
    const firstSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const second = await dailies.indexing.reconcile();
    const secondSeconds = (performance.now() - t1) / 1000;
    print(`reconcile (fs lake, ${kind})`, {
      objects: total,
      firstPassSeconds: round(firstSeconds),
      added: first.added,
      foldersAdded: first.foldersAdded,
      secondPassSeconds: round(secondSeconds),
      secondAdded: second.added,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    });
    await drop();
    continue;
  }
  const parts = ['firstPass', 'secondPass', `move${MOVES}`, `upload${UPLOADS}`] as const;
  const samples = Object.fromEntries(
    parts.map((p) => [p, { on: [] as Sample[], off: [] as Sample[] }]),
  ) as Record<(typeof parts)[number], Record<SumsSide, Sample[]>>;
  const loads: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const side of sidesOfRound(r)) {
      const { dailies, drop } = await freshCatalog(kind);
      await setSums(dailies.connection.db, 'on', side);
      let report: { added: number } = { added: 0 };
      samples.firstPass[side].push(
        await measure(dailies, async () => {
          report = await dailies.indexing.reconcile();
        }),
      );
      if (report.added !== total) throw new Error(`first pass added ${report.added} of ${total}`);
      samples.secondPass[side].push(await measure(dailies, () => dailies.indexing.reconcile()));
      samples[`move${MOVES}`][side].push(await moveAssets(dailies));
      samples[`upload${UPLOADS}`][side].push(await uploadAssets(dailies));
      loads.push(loadavg()[0]!);
      await drop();
    }
  }
  const figures: Record<string, unknown> = { objects: total, rounds: ROUNDS };
  for (const part of parts) {
    const figure = (key: keyof Sample) =>
      overhead(
        samples[part].off.map((s) => s[key]),
        samples[part].on.map((s) => s[key]),
      );
    figures[part] = { wall: figure('wall'), cpu: figure('cpu') };
  }
  figures.loadAverage1m = { min: round(Math.min(...loads)), max: round(Math.max(...loads)) };
  print(`keeping the storage sums on reconcile (fs lake, ${kind}, ms; overhead = on / off − 1)`, figures);
}
await rm(root, { recursive: true, force: true });
