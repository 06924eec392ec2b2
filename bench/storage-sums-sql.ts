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
  }
  figures.loadAverage = loadavg().map((x) => round(x));
  print(`storage sums' triggers per catalog statement (${kind})`, figures);
  await dailies.close();
  await rm(dataDir, { recursive: true, force: true });
}
