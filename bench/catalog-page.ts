/**
 * A catalog of 1,000,000 assets in 10,000 folders: p50/p95 of one folder page (100 rows,
 * through AssetsService.list: access check, page, count, views) sorted by name and by
 * modified date, on SQLite and on PostgreSQL. Goal: p95 ≤ 20 ms each.
 *
 *   npx tsx bench/catalog-page.ts [assets=1000000] [folders=10000]
 * PostgreSQL: needs DAILIES_TEST_DATABASE_URL (scripts/test-services.sh prints it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../server/src/config.js';
import { SYSTEM_ACTOR } from '../server/src/features/access/actor.js';
import { createDailies } from '../server/src/wiring.js';
import { testDatabaseUrl } from '../server/test/support/services.js';
import { seedCatalog } from './seed-catalog.js';
import { print, summary } from './support.js';

const total = Number(process.argv[2] ?? 1_000_000);
const folderCount = Number(process.argv[3] ?? 10_000);
const SAMPLES = 500;

for (const kind of ['sqlite', 'postgres'] as const) {
  const dataDir = await mkdtemp(join(tmpdir(), 'dailies-bench-catalog-'));
  const databaseUrl = kind === 'postgres' ? await testDatabaseUrl() : undefined;
  const dailies = await createDailies(
    loadConfig({}, { dataDir, databaseUrl, watchLake: false, reconcileInterval: 0, secret: 'bench' }),
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
  for (const [label, sort] of [
    ['byName', 'name'],
    ['byModified', 'modified'],
  ] as const) {
    const samples: number[] = [];
    for (let s = 0; s < SAMPLES; s++) {
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
    figures[label] = summary(samples);
  }
  print(`catalog page (${kind}, ms)`, figures);
  await dailies.close();
  await rm(dataDir, { recursive: true, force: true });
}
