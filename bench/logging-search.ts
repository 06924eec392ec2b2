/**
 * What the logging fields cost a search: the search benchmark's lake (camera-card names,
 * 10,000 roll folders), then 60% of the assets logged (scene, take, camera, reel, a fifth of
 * them circled), on SQLite and PostgreSQL. Prints p50/p95 wall time, for an admin and for an
 * editor on 10% of the folders, of: the facet counts before any log exists and after (the
 * logging facets' extra pass), a page of `scene:12 circled:yes` with and without text, and
 * the facets of that query. The load average is printed with the figures: the machine is shared.
 *
 *   npx tsx bench/logging-search.ts [assets=200000] [sqlite,postgres]
 * PostgreSQL: needs DAILIES_TEST_DATABASE_URL (scripts/test-services.sh prints it).
 */
import { sql } from 'kysely';
import { type Actor, SYSTEM_ACTOR } from '../server/src/features/access/actor.js';
import { BENCH_EDITOR, openSearchLake } from './search-seed.js';
import { print, timedSamples } from './support.js';

const total = Number(process.argv[2] ?? 200_000);
const catalogs = (process.argv[3] ?? 'sqlite,postgres').split(',') as Array<'sqlite' | 'postgres'>;
const SAMPLES = 20;
const editor = BENCH_EDITOR;

for (const kind of catalogs) {
  const { dailies, db, analyze, close } = await openSearchLake(kind, total, 'dailies-bench-logging-');
  const figures: Record<string, unknown> = { catalog: kind, assets: total };
  await analyze();

  const time = (label: string, work: () => Promise<unknown>) => timedSamples(label, SAMPLES, work);
  const search = (actor: Actor, query: Record<string, unknown>) => () =>
    dailies.search.search(actor, { limit: 100, ...query } as never);
  const actors = [
    ['admin', SYSTEM_ACTOR],
    ['editor10pct', editor],
  ] as const;

  const before: Record<string, unknown> = {};
  for (const [label, actor] of actors)
    Object.assign(before, await time(`${label}.facets`, search(actor, {})));
  figures.withoutLogs = before;

  // 60% of the assets logged, values from their size (seeded from a fixed hash): one statement.
  const t0 = performance.now();
  await sql`insert into asset_logs (asset_id, camera, camera_source, reel, reel_source, scene, take, circled, rating)
    select id, upper(substr(name, 1, 1)), 'name', upper(substr(name, 1, 4)), 'name',
      cast(size % 150 as text), cast(size % 7 + 1 as text),
      case when size % 5 = 0 then 1 else 0 end, case when size % 3 = 0 then cast(size % 6 as integer) end
    from assets where size % 10 < 6`.execute(db);
  figures.logSeconds = Math.round((performance.now() - t0) / 100) / 10;
  figures.logged = Number(
    (await sql<{ n: number }>`select count(*) as n from asset_logs`.execute(db)).rows[0].n,
  );
  await analyze();

  const after: Record<string, unknown> = {};
  for (const [label, actor] of actors) {
    Object.assign(after, await time(`${label}.facets`, search(actor, {})));
    Object.assign(
      after,
      await time(`${label}.pageCircledScene`, search(actor, { q: 'scene:12 circled:yes', facets: false })),
    );
    Object.assign(
      after,
      await time(`${label}.facetsCircledScene`, search(actor, { q: 'scene:12 circled:yes' })),
    );
    Object.assign(
      after,
      await time(`${label}.textPageScene`, search(actor, { q: 'a001 scene:12', facets: false })),
    );
    Object.assign(after, await time(`${label}.textFacetsScene`, search(actor, { q: 'a001 scene:12' })));
  }
  figures.withLogs = after;
  print('logging-search', figures);
  await close();
}
