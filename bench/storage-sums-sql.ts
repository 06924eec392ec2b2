/**
 * What the storage sums' triggers cost one catalog statement, measured where load on a shared
 * machine blurs it least, on a catalog of N assets (default 100,000):
 *  - SQLite: single moves (folder changed) and single inserts through better-sqlite3, each
 *    statement prepared anew as Kysely does, with the triggers on and off in alternating rounds
 *    (CPU time of this process, medians and the median of each round's own ratio), and what
 *    compiling those statements costs alone (a trigger is compiled into every statement that
 *    may fire it, and Kysely prepares each statement anew);
 *  - PostgreSQL: EXPLAIN ANALYZE of the same writes, which times each trigger inside the
 *    statement: the storage trigger's share of the statement's time needs no second run to
 *    compare with, so the machine's load changes both alike.
 * The denominator is the bare statement, the strictest one: an upload or a move does much more.
 * Then what those µs are of the catalog-page bench's write paths (an asset inserted as an
 * upload's index write ends; an asset moved in a transaction), timed with the triggers on in
 * the same run: `pathSharePercent` = trigger µs per row ÷ the path's µs per operation (issue
 * 17's goal: ≤ 5%).
 *
 *   npx tsx bench/storage-sums-sql.ts [assets=100000] [catalogs=sqlite,postgres]
 * BENCH_ROUNDS (default 10) and BENCH_WRITES (default 2000) per round and side.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { loadConfig } from '../server/src/config.js';
import { newAsset } from '../server/src/features/assets/asset-factory.js';
import { createDailies } from '../server/src/wiring.js';
import { testDatabaseUrl } from '../server/test/support/services.js';
import { seedCatalog } from './seed-catalog.js';
import { median, overhead, type SumsSide, setSums, sidesOfRound } from './storage-sums-switch.js';
import { print, round } from './support.js';

const total = Number(process.argv[2] ?? 100_000);
const catalogs = (process.argv[3] ?? 'sqlite,postgres').split(',') as Array<'sqlite' | 'postgres'>;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const WRITES = Number(process.env.BENCH_WRITES ?? 2000);
const FOLDERS = 1000;

const INSERT = `insert into assets (id, folder_id, name, sort_name, format, kind, size, etag, lake_mtime, state, created_at, updated_at)
  values (?, ?, ?, ?, 'QuickTime', 'video', ?, 'e', 0, 'ready', 0, 0)`;
const MOVE = 'update assets set folder_id = ?, updated_at = ? where id = ?';

for (const kind of catalogs) {
  const dataDir = await mkdtemp(join(tmpdir(), 'dailies-bench-sums-sql-'));
  const databaseUrl = kind === 'postgres' ? await testDatabaseUrl() : undefined;
  const config = loadConfig(
    {},
    { dataDir, databaseUrl, watchLake: false, reconcileInterval: 0, secret: 'bench' },
  );
  const dailies = await createDailies(config, { onFirstAdminPassword: () => {} });
  await seedCatalog(dailies, total, FOLDERS);
  await dailies.storage.fold();
  const { db } = dailies.connection;
  const ids = (await sql<{ id: string }>`select id from assets order by id limit 50000`.execute(db)).rows.map(
    (r) => r.id,
  );
  let n = 0;
  const figures: Record<string, unknown> = { assets: total, rounds: ROUNDS, writes: WRITES };
  let triggerMicroseconds = { insert: 0, move: 0 };
  if (kind === 'sqlite') {
    // A second connection to the same file; it sees the triggers come and go (schema cookie).
    const raw = new SQLite(config.sqliteFile);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    const cpu = (work: () => void) => {
      const c0 = process.cpuUsage();
      work();
      const { user, system } = process.cpuUsage(c0);
      return (user + system) / 1000;
    };
    const samples = {
      move: { on: [] as number[], off: [] as number[] },
      insert: { on: [] as number[], off: [] as number[] },
      compileMove: { on: [] as number[], off: [] as number[] },
      cachedMove: { on: [] as number[], off: [] as number[] },
      compileInsert: { on: [] as number[], off: [] as number[] },
    };
    let current: SumsSide = 'on';
    for (let r = 0; r < ROUNDS; r++)
      for (const side of sidesOfRound(r)) {
        await setSums(db, current, side);
        current = side;
        samples.move[side].push(
          cpu(() => {
            for (let i = 0; i < WRITES; i++, n++)
              raw.prepare(MOVE).run(`folder-${(n * 7) % FOLDERS}`, n, ids[n % ids.length]);
          }),
        );
        // The same moves through one statement prepared once, as a statement cache would run them.
        const cached = raw.prepare(MOVE);
        samples.cachedMove[side].push(
          cpu(() => {
            for (let i = 0; i < WRITES; i++, n++)
              cached.run(`folder-${(n * 7) % FOLDERS}`, n, ids[n % ids.length]);
          }),
        );
        // Compiling alone: a move that finds no row, an insert prepared and not run (µs each).
        samples.compileMove[side].push(
          (cpu(() => {
            for (let i = 0; i < WRITES; i++) raw.prepare(MOVE).run('x', 0, 'no-such-asset');
          }) *
            1000) /
            WRITES,
        );
        samples.compileInsert[side].push(
          (cpu(() => {
            for (let i = 0; i < WRITES; i++) raw.prepare(INSERT);
          }) *
            1000) /
            WRITES,
        );
        samples.insert[side].push(
          cpu(() => {
            for (let i = 0; i < WRITES; i++, n++)
              raw
                .prepare(INSERT)
                .run(`sums-${n}`, `folder-${(n * 13) % FOLDERS}`, `s${n}.mov`, `s${n}.mov`, n);
          }),
        );
      }
    await setSums(db, current, 'on');
    raw.close();
    figures.moveCpuMs = overhead(samples.move.off, samples.move.on);
    figures.insertCpuMs = overhead(samples.insert.off, samples.insert.on);
    figures.cachedMoveCpuMs = overhead(samples.cachedMove.off, samples.cachedMove.on);
    // Per row, from each round's own ratio (both sides a moment apart; load changes between
    // rounds cancel out). The catalog keeps its prepared statements: a move pays the cached figure.
    const perRow = (side: { on: number[]; off: number[] }) =>
      ((median(side.on.map((on, i) => on / side.off[i]!)) - 1) * median(side.off) * 1000) / WRITES;
    triggerMicroseconds = { insert: perRow(samples.insert), move: perRow(samples.cachedMove) };
    figures.compileMoveMicroseconds = overhead(samples.compileMove.off, samples.compileMove.on);
    figures.compileInsertMicroseconds = overhead(samples.compileInsert.off, samples.compileInsert.on);
  } else {
    // EXPLAIN ANALYZE in a transaction rolled back, so every round starts from the same rows.
    const pool = dailies.connection.postgresPool!;
    const client = await pool.connect();
    const explain = async (statement: string, params: unknown[]) => {
      await client.query('begin');
      const { rows } = await client.query(`explain (analyze, format json) ${statement}`, params);
      await client.query('rollback');
      const plan = (rows[0] as Record<string, unknown>)['QUERY PLAN'] as Array<{
        'Execution Time': number;
        Triggers: Array<{ 'Trigger Name': string; Time: number }>;
      }>;
      const storage = plan[0]!.Triggers.filter((t) => t['Trigger Name'].startsWith('storage_')).reduce(
        (sum, t) => sum + t.Time,
        0,
      );
      return { total: plan[0]!['Execution Time'], storage };
    };
    const shares = { move: [] as number[], insert: [] as number[] };
    const perRow = { move: [] as number[], insert: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      const from = (r * WRITES) % (ids.length - WRITES);
      const move = await explain(
        `update assets set folder_id = 'folder-' || ((abs(hashtext(id)) + $2::int) % ${FOLDERS}), updated_at = $2
           where id in (select id from assets order by id offset $1 limit ${WRITES})`,
        [from, r + 1],
      );
      shares.move.push(move.storage / move.total);
      perRow.move.push((move.storage / WRITES) * 1000);
      // Single-row inserts: the per-statement trigger sees a transition table of one row.
      let storage = 0;
      let whole = 0;
      for (let i = 0; i < WRITES / 10; i++, n++) {
        const insert = await explain(
          INSERT.replace(
            /\?/g,
            (() => {
              let p = 0;
              return () => `$${++p}`;
            })(),
          ),
          [`sums-${n}`, `folder-${(n * 13) % FOLDERS}`, `s${n}.mov`, `s${n}.mov`, n],
        );
        storage += insert.storage;
        whole += insert.total;
      }
      shares.insert.push(storage / whole);
      perRow.insert.push((storage / (WRITES / 10)) * 1000);
    }
    client.release();
    for (const part of ['move', 'insert'] as const)
      figures[part] = {
        storageTriggerSharePercent: round(median(shares[part]) * 100, 1),
        storageTriggerMicrosecondsPerRow: round(median(perRow[part]), 1),
        rowsPerStatement: part === 'move' ? WRITES : 1,
      };
    triggerMicroseconds = { insert: median(perRow.insert), move: median(perRow.move) };
  }
  const path = await writePathMicroseconds(dailies, n);
  figures.triggerMicrosecondsPerRow = {
    insert: round(triggerMicroseconds.insert, 1),
    move: round(triggerMicroseconds.move, 1),
  };
  figures.pathMicrosecondsPerOperation = { upload: round(path.upload, 1), move: round(path.move, 1) };
  figures.pathSharePercent = {
    upload: round((triggerMicroseconds.insert / path.upload) * 100, 1),
    move: round((triggerMicroseconds.move / path.move) * 100, 1),
  };
  figures.loadAverage = loadavg().map((x) => round(x));
  print(`storage sums' triggers per catalog statement (${kind})`, figures);
  await dailies.close();
  await rm(dataDir, { recursive: true, force: true });
}

/**
 * The catalog-page bench's write paths with the triggers on (as deployed), µs per operation
 * (median of BENCH_ROUNDS rounds of WRITES / 4): an asset inserted through the catalog as an
 * upload's index write ends, and the same assets moved one by one in a transaction.
 */
async function writePathMicroseconds(dailies: Awaited<ReturnType<typeof createDailies>>, from: number) {
  const { catalog } = dailies;
  const perRound = Math.max(1, Math.floor(WRITES / 4));
  const rounds = { upload: [] as number[], move: [] as number[] };
  let n = from;
  for (let r = 0; r < ROUNDS; r++) {
    const fresh = Array.from({ length: perRound }, () => {
      n++;
      return newAsset(
        { key: '', size: 1000 + n, etag: `p${n}`, mtime: n } as never,
        `folder-${(n * 7919) % FOLDERS}`,
        `path-${n}.mov`,
        n,
      );
    });
    let t0 = performance.now();
    for (const asset of fresh) await catalog.assets.insert(asset);
    rounds.upload.push(((performance.now() - t0) * 1000) / perRound);
    t0 = performance.now();
    for (const [i, asset] of fresh.entries()) {
      const to = `folder-${(n + i * 31) % FOLDERS}`;
      await catalog.transaction((trx) => trx.assets.update(asset.id, { folderId: to, updatedAt: n }));
    }
    rounds.move.push(((performance.now() - t0) * 1000) / perRound);
  }
  return { upload: median(rounds.upload), move: median(rounds.move) };
}
