import { type Kysely, type RawBuilder, sql } from 'kysely';
import {
  DURATION_BUCKETS,
  FACETS,
  type FacetCounts,
  type FacetName,
  LAKE_ONLY,
  LOG_FACETS,
  SIZE_BUCKETS,
} from '../../ports/search.js';
import type { Database } from './database.js';
import type { DialectName } from './dialect.js';
import { RESOLUTION_EXPRESSION, type SearchConditions } from './search-conditions.js';

/** The facets read straight from a column, the grouping key of the facet pass. */
const COLUMN_FACETS: Array<[FacetName, string]> = [
  ['kind', 'kind'],
  ['state', 'state'],
  ['format', 'format'],
  ['videoCodec', 'video_codec'],
  ['audioCodec', 'audio_codec'],
  ['frameRate', 'frame_rate'],
  ['uploadedBy', 'uploaded_by'],
];
/**
 * The grouping key: every column facet, then the resolution's sides. SQLite groups in its
 * facet index's key order (no sort); PostgreSQL hashes, its statistics of the combination
 * (search-facet-index migration) naming the resolution class instead.
 */
function groupKey(dialect: DialectName) {
  const columns = COLUMN_FACETS.map(([, column]) => `a.${column}`);
  return [...columns, ...(dialect === 'postgres' ? [RESOLUTION_EXPRESSION] : ['a.width', 'a.height'])].join(
    ', ',
  );
}
/** The key's columns under their facet names (results are camel-cased). */
const GROUP_COLUMNS = COLUMN_FACETS.map(([facet, column]) => `a.${column} as "${facet}"`).join(', ');

type Row = Record<string, string | number | null>;

/**
 * Facet counts in one pass over the rows `a` (matches of the text, or every search row),
 * standard faceted search: each facet is counted over the rows that pass every filter but
 * its own, so a menu with a value chosen still shows the alternatives with their counts.
 * The pass reads the rows that fail at most one filter, marks which filters each passes,
 * groups them by every column facet at once (a few hundred groups), and sums per group, for
 * each facet, the rows that pass all the other filters; the groups are added up here. The
 * base conditions (permissions, dates, the folder) apply to every count.
 */
export async function countFacets(
  db: Kysely<Database>,
  dialect: DialectName,
  rows: RawBuilder<unknown>,
  textDriven: boolean,
  { base, byFacet }: SearchConditions,
): Promise<FacetCounts> {
  const set = Object.keys(byFacet) as FacetName[];
  const n = set.length;
  // Each set filter's flag is named by its place (okN), as raw names pass no case plugin.
  const flag = (facet: FacetName) => `ok${set.indexOf(facet)}`;
  const flags = set.map((f) => sql`case when ${byFacet[f]} then 1 else 0 end as ${sql.raw(flag(f))}`);
  const passed = n === 0 ? sql`0` : sql.raw(set.map((f) => `a.${flag(f)}`).join(' + '));
  /** Which rows a facet counts: those passing every filter but its own (all, when it has none). */
  const passing = (facet: FacetName) => (n > 0 && byFacet[facet] ? `except${set.indexOf(facet)}` : 'all');
  const condition = (key: string) =>
    n === 0 ? '1 = 1' : key === 'all' ? `a.passed = ${n}` : `a.passed - a.ok${key.slice(6)} = ${n - 1}`;
  // One sum per distinct set of rows: a facet without a filter of its own counts the result.
  const keys = [
    ...new Set(
      [...COLUMN_FACETS.map(([f]) => f), 'resolution', 'location', ...LOG_FACETS].map((f) =>
        passing(f as FacetName),
      ),
    ),
  ];
  const bucketSums = (facet: FacetName, column: string, buckets: typeof DURATION_BUCKETS) =>
    buckets.map(([name, lower, upper], i) => {
      const from = i === 0 ? `a.${column} is not null` : `a.${column} >= ${lower}`;
      const to = upper === null ? '' : ` and a.${column} < ${upper}`;
      return `sum(case when ${from}${to} and ${condition(passing(facet))} then 1 else 0 end) as "${facet}:${name}"`;
    });
  const sums = [
    ...keys.map((key) => `sum(case when ${condition(key)} then 1 else 0 end) as "count:${key}"`),
    ...bucketSums('duration', 'duration', DURATION_BUCKETS),
    ...bucketSums('size', 'size', SIZE_BUCKETS),
  ];
  const where = base.length > 0 ? sql.join(base, sql` and `) : sql`1 = 1`;
  // A logging filter is a lookup in asset_logs. Merged into the outer query, each flag's
  // expression would run again at every sum that reads it (20 lookups a row: 6 s instead of
  // 0.4 s at 100,000 assets on SQLite); an OFFSET keeps the flags' query apart (SQLite and
  // PostgreSQL both leave a subquery with one unmerged), so each is computed once a row.
  const fence = LOG_FACETS.some((f) => byFacet[f])
    ? sql.raw(dialect === 'sqlite' ? ' limit -1 offset 0' : ' offset 0')
    : sql``;
  const grouped = sql<Row>`
    select ${sql.raw(GROUP_COLUMNS)}, ${sql.raw(RESOLUTION_EXPRESSION)} as resolution, ${sql.raw(sums.join(', '))}
    from (
      select a.*, ${passed} as passed from (
        select a.*${flags.length > 0 ? sql`, ${sql.join(flags)}` : sql``} from (${rows}) a where ${where}${fence}
      ) a
    ) a
    where a.passed >= ${n - 1}
    group by ${sql.raw(groupKey(dialect))}`.execute(db);
  // A copy can be on several volumes: those counts come from the locations, driven by them.
  const otherFilters = Object.entries(byFacet)
    .filter(([facet]) => facet !== 'location')
    .map(([, condition]) => condition as RawBuilder<unknown>);
  const locationWhere = sql.join([...base, ...otherFilters, sql`l.asset_id = a.id`], sql` and `);
  // The fewer side drives (CROSS JOIN fixes SQLite's order): text matches, or else the
  // verified copies rather than every search row.
  const joined = textDriven
    ? sql`(${rows}) a cross join asset_locations l`
    : sql`asset_locations l cross join (${rows}) a`;
  const located = sql<{ volume: string | null; n: number | string }>`
    select l.volume_id as volume, count(*) as n from ${joined}
    where l.state = 'verified' and ${locationWhere} group by l.volume_id
    union all
    select null as volume, count(distinct l.asset_id) as n from ${joined}
    where l.state = 'verified' and ${locationWhere}`.execute(db);
  // The logging fields: the same flags over the rows that have a log, grouped by its values.
  // Without text the logs drive (only logged assets have a row); circled "no" is the rest.
  const logKeys = [...new Set(LOG_FACETS.map((f) => passing(f)))];
  const logSums = logKeys.map(
    (key) => `sum(case when ${condition(key)} then 1 else 0 end) as "count:${key}"`,
  );
  const logJoined = textDriven
    ? sql`(${rows}) a cross join asset_logs l`
    : sql`asset_logs l cross join (${rows}) a`;
  const logged = sql<Row>`
    select a.log_camera as "camera", a.log_reel as "reel", a.log_scene as "scene", a.log_take as "take",
      a.log_circled as "circled",
      ${sql.raw(logSums.join(', '))}
    from (
      select a.*, ${passed} as passed from (
        select a.*, l.camera as log_camera, l.reel as log_reel, l.scene as log_scene, l.take as log_take, l.circled as log_circled${
          flags.length > 0 ? sql`, ${sql.join(flags)}` : sql``
        }
        from ${logJoined} where l.asset_id = a.id and ${where}${fence}
      ) a
    ) a
    where a.passed >= ${n - 1}
    group by a.log_camera, a.log_reel, a.log_scene, a.log_take, a.log_circled`.execute(db);
  const [groups, locations, logs] = await Promise.all([grouped, located, logged]);
  const count = (group: Row, facet: FacetName) => Number(group[`count:${passing(facet)}`]);
  const facets = addUp(groups.rows, locations.rows, count);
  addLogFacets(facets, groups.rows, logs.rows, count);
  return facets;
}

/** Camera, reel, scene and take by value; circled as yes (a log says so) and no (every other row). */
function addLogFacets(
  facets: FacetCounts,
  groups: Row[],
  logs: Row[],
  count: (group: Row, facet: FacetName) => number,
): void {
  for (const facet of ['camera', 'reel', 'scene', 'take'] as const) {
    const totals = new Map<string, number>();
    for (const g of logs) {
      const value = g[facet];
      const n = count(g, facet);
      if (value !== null && value !== undefined && n > 0)
        totals.set(String(value), (totals.get(String(value)) ?? 0) + n);
    }
    facets[facet] = sortCounts(totals);
  }
  let yes = 0;
  for (const g of logs) if (Number(g.circled) === 1) yes += count(g, 'circled');
  let all = 0;
  for (const g of groups) all += count(g, 'circled');
  facets.circled = sortCounts(
    new Map([
      ['yes', yes],
      ['no', all - yes],
    ]),
  );
}

function sortCounts(counts: Map<string, number>): Array<{ value: string; count: number }> {
  return [...counts]
    .filter(([, count]) => count > 0)
    .map(([value, count]) => ({ value, count }))
    .sort((x, y) => y.count - x.count || (x.value < y.value ? -1 : x.value > y.value ? 1 : 0));
}

function addUp(
  groups: Row[],
  locations: Array<{ volume: string | null; n: number | string }>,
  count: (group: Row, facet: FacetName) => number,
): FacetCounts {
  const totals = new Map<FacetName, Map<string, number>>(FACETS.map((f) => [f, new Map()]));
  const add = (facet: FacetName, value: unknown, count: number) => {
    if (value === null || value === undefined || count === 0) return;
    const counts = totals.get(facet)!;
    counts.set(String(value), (counts.get(String(value)) ?? 0) + count);
  };
  let outsideLocation = 0;
  for (const g of groups) {
    for (const [facet] of COLUMN_FACETS) add(facet, g[facet], count(g, facet));
    add('resolution', g.resolution, count(g, 'resolution'));
    outsideLocation += count(g, 'location');
    for (const [name] of DURATION_BUCKETS) add('duration', name, Number(g[`duration:${name}`]));
    for (const [name] of SIZE_BUCKETS) add('size', name, Number(g[`size:${name}`]));
  }
  let withCopy = 0;
  for (const l of locations) {
    if (l.volume === null) withCopy = Number(l.n);
    else add('location', l.volume, Number(l.n));
  }
  add('location', LAKE_ONLY, outsideLocation - withCopy);
  const facets = {} as FacetCounts;
  for (const [facet, counts] of totals)
    facets[facet] = [...counts]
      .map(([value, count]) => ({ value, count }))
      .sort((x, y) => y.count - x.count || (x.value < y.value ? -1 : x.value > y.value ? 1 : 0));
  return facets;
}
