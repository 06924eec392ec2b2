/**
 * What searching the words of logged descriptions costs: the search benchmark's lake, then 60%
 * of the assets given a description in one statement (each row indexed again by the
 * `asset_logs` triggers: `describeSeconds`), on SQLite and PostgreSQL. Prints p50/p95 wall time,
 * for an admin and for an editor on 10% of the folders, of a page and of the facets of: a
 * description word (`boom`, a quarter of the logged assets), a name word with it (`a001 boom`),
 * a rare description word (`plane overhead`), and a name alone (`a001c003`, as before the
 * descriptions joined the index). The load average is printed with the figures: the machine
 * is shared.
 *
 *   npx tsx bench/description-search.ts [assets=100000] [sqlite,postgres]
 * PostgreSQL: needs DAILIES_TEST_DATABASE_URL (scripts/test-services.sh prints it).
 */
import { sql } from 'kysely';
import { type Actor, SYSTEM_ACTOR } from '../server/src/features/access/actor.js';
import { BENCH_EDITOR, openSearchLake } from './search-seed.js';
import { print, timedSamples } from './support.js';

const total = Number(process.argv[2] ?? 100_000);
const catalogs = (process.argv[3] ?? 'sqlite,postgres').split(',') as Array<'sqlite' | 'postgres'>;
const SAMPLES = 20;
const editor = BENCH_EDITOR;

for (const kind of catalogs) {
  const { dailies, db, analyze, close } = await openSearchLake(kind, total, 'dailies-bench-descriptions-');
  const figures: Record<string, unknown> = { catalog: kind, assets: total };

  const t0 = performance.now();
  await sql`insert into asset_logs (asset_id, scene, take, circled, description)
    select id, cast(size % 150 as text), cast(size % 7 + 1 as text), 0,
      case size % 40
        when 0 then 'Plane overhead, wild line needed'
        when 1 then 'Soft focus on the pull' when 2 then 'Soft focus on the pull'
        when 3 then 'Great take, keep' when 4 then 'Great take, keep' when 5 then 'Great take, keep'
        else case when size % 4 = 0 then 'Boom dips into frame at the end' else 'Clean' end end
    from assets where size % 10 < 6`.execute(db);
  figures.describeSeconds = Math.round((performance.now() - t0) / 100) / 10;
  figures.described = Number(
    (await sql<{ n: number }>`select count(*) as n from asset_logs`.execute(db)).rows[0].n,
  );
  await analyze();

  const time = (label: string, work: () => Promise<unknown>) => timedSamples(label, SAMPLES, work);
  const search = (actor: Actor, q: string, facets: boolean) => () =>
    dailies.search.search(actor, { q, limit: 100, facets } as never);
  for (const [who, actor] of [
    ['admin', SYSTEM_ACTOR],
    ['editor10pct', editor],
  ] as const) {
    const results: Record<string, unknown> = {};
    for (const [label, q] of [
      ['boom', 'boom'],
      ['nameAndBoom', 'a001 boom'],
      ['rare', 'plane overhead'],
      ['nameOnly', 'a001c003'],
    ] as const) {
      Object.assign(results, await time(`${label}.page`, search(actor, q, false)));
      Object.assign(results, await time(`${label}.facets`, search(actor, q, true)));
      const found = await dailies.search.search(actor, { q, limit: 1, facets: false } as never);
      results[`${label}.total`] = found.total;
    }
    figures[who] = results;
  }
  print('description-search', figures);
  await close();
}
