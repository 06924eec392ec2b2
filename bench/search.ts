/**
 * Search over a lake of 1,000,000 assets with camera-card names and metadata, on SQLite and
 * on PostgreSQL: p50/p95 of a text search with two filters (page of 100 + total; goal p95
 * ≤ 100 ms) and of the facet counts for the same query (goal p95 ≤ 250 ms), for an admin and
 * for an editor whose group is on 10% of the folders (permissions applied in the query).
 * A first pass of other queries stands for a server that has been running (its figures are
 * printed too, as `firstPass`); each kind of query has its own figures, and CPU time is
 * printed beside wall time (SQLite: this process; PostgreSQL: its backends, read from /proc
 * when the server runs here). The load average is printed with every figure: the machine is shared.
 *
 *   npx tsx bench/search.ts [assets=1000000] [sqlite,postgres]
 * PostgreSQL: needs DAILIES_TEST_DATABASE_URL (scripts/test-services.sh prints it).
 * DAILIES_BENCH_KEEP=1 keeps each seeded catalog and prints where it is; DAILIES_BENCH_SQLITE_DIR
 * and DAILIES_BENCH_DATABASE_URL measure such a kept catalog again without seeding (pending
 * migrations run on it first, which is how a migration's cost on a large catalog shows).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { KyselySearchRepository } from '../server/src/adapters/db/search.repository.js';
import { loadConfig } from '../server/src/config.js';
import type { Actor } from '../server/src/features/access/actor.js';
import { SYSTEM_ACTOR } from '../server/src/features/access/actor.js';
import { searchWords } from '../server/src/features/search/search.service.js';
import { createDailies, type Dailies } from '../server/src/wiring.js';
import { dropTestDatabase } from '../server/test/support/drop-database.js';
import { testDatabaseUrl } from '../server/test/support/services.js';
import { BENCH_EDITOR, DAYS, ROLLS, seedSearchLake } from './search-seed.js';
import { postgresCpu, print, summary } from './support.js';

const total = Number(process.argv[2] ?? 1_000_000);
const catalogs = (process.argv[3] ?? 'sqlite,postgres').split(',') as Array<'sqlite' | 'postgres'>;
const SAMPLES = 60;
const BROAD_SAMPLES = 20;
const keep = process.env.DAILIES_BENCH_KEEP === '1';

/** Load average over the last minute. */
function load() {
  const one = loadavg()[0];
  return { load1m: Math.round(one * 100) / 100 };
}

/**
 * Runs `work` and returns its wall time and its CPU time in ms: SQLite works inside this
 * process (its CPU time), PostgreSQL in its backends (their CPU time, when the server runs on
 * this machine). CPU time is the work itself, whatever else the shared machine runs.
 */
async function measure<T>(
  kind: 'sqlite' | 'postgres',
  pool: Dailies['connection']['postgresPool'],
  work: () => Promise<T>,
) {
  const backend = kind === 'postgres' ? await postgresCpu((text) => pool!.query(text)) : null;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const ms = performance.now() - t0;
  const { user, system } = process.cpuUsage(c0);
  const cpu = backend ? await backend() : (user + system) / 1000;
  return { value, ms, cpu };
}

/** A tiny deterministic generator, so both catalogs get the same queries. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const editor = BENCH_EDITOR;

for (const kind of catalogs) {
  const reuse =
    kind === 'postgres' ? process.env.DAILIES_BENCH_DATABASE_URL : process.env.DAILIES_BENCH_SQLITE_DIR;
  const dataDir = kind === 'sqlite' && reuse ? reuse : await mkdtemp(join(tmpdir(), 'dailies-bench-search-'));
  const databaseUrl = kind === 'postgres' ? (reuse ?? (await testDatabaseUrl())) : undefined;
  const started = performance.now();
  const dailies = await createDailies(
    loadConfig({}, { dataDir, databaseUrl, watchLake: false, reconcileInterval: 0, secret: 'bench' }),
  );
  const { connection } = dailies;
  const migrateSeconds = (performance.now() - started) / 1000;
  const figures: Record<string, unknown> = { catalog: kind, assets: total };
  if (!reuse) {
    const seedStart = performance.now();
    figures.folders = (await seedSearchLake(dailies, total)).folders;
    figures.seedSeconds = Math.round((performance.now() - seedStart) / 1000);
    const analyzeStart = performance.now();
    if (kind === 'postgres') await connection.postgresPool!.query('vacuum analyze');
    else await sql`analyze`.execute(connection.db);
    figures.analyzeSeconds = Math.round((performance.now() - analyzeStart) / 1000);
  } else {
    figures.reused = reuse;
    figures.migrateSeconds = Math.round(migrateSeconds);
  }
  figures.assets = Number(
    (await sql<{ n: number }>`select count(*) as n from assets`.execute(connection.db)).rows[0].n,
  );

  const repo = new KyselySearchRepository(connection.db, connection.dialect);
  const actors = [
    ['admin', SYSTEM_ACTOR],
    ['editor10pct', editor],
  ] as const;
  // A first pass of other queries on the fresh connections, as a server just started sees
  // them: each PostgreSQL backend pays page faults on every shared buffer it touches first
  // (10x a search's own CPU time here), and the catalog's pages come into the caches. The
  // goal is measured on the second pass, as a running server answers.
  const firstPass: Record<string, unknown> = {};
  for (const [label, actor] of actors)
    firstPass[label] = await runTextQueries(kind, dailies, repo, actor, textQueries(11));
  figures.firstPass = firstPass;
  for (const [label, actor] of actors)
    figures[label] = await runTextQueries(kind, dailies, repo, actor, textQueries(7));
  // The broadest case a media manager hits first: no text, two filters (about 56% of the
  // lake), the total counted and every facet counted with its own filter left out.
  for (const [label, actor] of actors) {
    const scope = actor.isAdmin ? ({ all: true } as const) : ({ all: false, groups: actor.groups } as const);
    const broad: number[] = [];
    const broadFacets: number[] = [];
    let matches = 0;
    for (let s = 0; s < BROAD_SAMPLES; s++) {
      const t0 = performance.now();
      matches = (
        await dailies.search.search(actor, { kind: 'video', state: 'ready', facets: false, limit: 100 })
      ).total;
      broad.push(performance.now() - t0);
      const t1 = performance.now();
      await repo.facets({ words: [], kinds: ['video'], states: ['ready'], scope });
      broadFacets.push(performance.now() - t1);
    }
    figures[`${label}NoTextKindVideoStateReady`] = {
      search: summary(broad),
      facets: summary(broadFacets),
      total: matches,
      ...load(),
    };
  }
  print('search', figures);
  await dailies.close();
  if (keep || reuse) {
    if (!reuse)
      console.log(
        kind === 'postgres'
          ? `kept: DAILIES_BENCH_DATABASE_URL=${databaseUrl}`
          : `kept: DAILIES_BENCH_SQLITE_DIR=${dataDir}`,
      );
  } else if (databaseUrl) await dropTestDatabase(databaseUrl);
  else await rm(dataDir, { recursive: true, force: true });
}

interface TextQuery {
  pattern: string;
  q: string;
  filters: Record<string, unknown>;
}

/** Text with two filters, of varied selectivity: a camera roll, a clip prefix, a folder path, a scene. */
function textQueries(seed: number): TextQuery[] {
  const queries: TextQuery[] = [];
  const qr = random(seed);
  for (let s = 0; s < SAMPLES; s++) {
    const roll = String(Math.floor(qr() * DAYS * ROLLS)).padStart(3, '0');
    const day = String(Math.floor(qr() * DAYS) + 1).padStart(3, '0');
    const pick = s % 4;
    if (pick === 0)
      queries.push({ pattern: 'roll', q: `A${roll}`, filters: { kinds: ['video'], states: ['ready'] } });
    else if (pick === 1)
      queries.push({
        pattern: 'clipPrefix',
        q: `A${roll.slice(0, 2)}`,
        filters: { resolutions: ['UHD'], formats: ['MOV'] },
      });
    else if (pick === 2)
      queries.push({
        pattern: 'folderPath',
        q: `shoot day ${day} cam`,
        filters: { videoCodecs: ['prores'], resolutions: ['HD'] },
      });
    else
      queries.push({
        pattern: 'scene',
        q: `scene ${Math.floor(qr() * 140)} take`,
        filters: { kinds: ['audio'], uploadedBy: ['alice', 'bob'] },
      });
  }
  return queries;
}

/**
 * Each query's page (with its total) and, apart, its facet counts: p50/p95 of wall and CPU
 * time, and per kind of query, so the kind that makes the p95 shows.
 */
async function runTextQueries(
  kind: 'sqlite' | 'postgres',
  dailies: Dailies,
  repo: KyselySearchRepository,
  actor: Actor,
  queries: TextQuery[],
) {
  const scope = actor.isAdmin ? ({ all: true } as const) : ({ all: false, groups: actor.groups } as const);
  const pool = dailies.connection.postgresPool;
  const searchMs: number[] = [];
  const facetMs: number[] = [];
  const searchCpu: number[] = [];
  const facetCpu: number[] = [];
  let hits = 0;
  const byPattern: Record<string, { ms: number[]; cpu: number[]; total: number }> = {};
  for (const { pattern, q, filters } of queries) {
    const query = { q, ...filtersToQuery(filters), facets: false, limit: 100 };
    const found = await measure(kind, pool, () => dailies.search.search(actor, query));
    searchMs.push(found.ms);
    if (found.cpu !== null) searchCpu.push(found.cpu);
    hits += found.value.total;
    byPattern[pattern] ??= { ms: [], cpu: [], total: 0 };
    byPattern[pattern].ms.push(found.ms);
    if (found.cpu !== null) byPattern[pattern].cpu.push(found.cpu);
    byPattern[pattern].total += found.value.total;
    const counted = await measure(kind, pool, () =>
      repo.facets({ words: searchWords(q), ...filters, scope }),
    );
    facetMs.push(counted.ms);
    if (counted.cpu !== null) facetCpu.push(counted.cpu);
  }
  const cpu = (samples: number[]) => (samples.length > 0 ? summary(samples) : null);
  return {
    search: summary(searchMs),
    searchCpu: cpu(searchCpu),
    facets: summary(facetMs),
    facetsCpu: cpu(facetCpu),
    meanTotal: Math.round(hits / queries.length),
    searchByPattern: Object.fromEntries(
      Object.entries(byPattern).map(([p, { ms, cpu: cpuMs, total }]) => [
        p,
        { ...summary(ms), cpu: cpu(cpuMs), meanTotal: Math.round(total / ms.length) },
      ]),
    ),
    ...load(),
  };
}

function filtersToQuery(filters: Record<string, unknown>): Record<string, string> {
  const names: Record<string, string> = {
    kinds: 'kind',
    states: 'state',
    resolutions: 'resolution',
    formats: 'format',
    videoCodecs: 'videoCodec',
    uploadedBy: 'uploadedBy',
  };
  return Object.fromEntries(Object.entries(filters).map(([k, v]) => [names[k], (v as string[]).join(',')]));
}
