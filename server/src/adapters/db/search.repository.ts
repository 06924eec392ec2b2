import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Asset } from '../../ports/catalog.js';
import {
  DURATION_BUCKETS,
  FACETS,
  type FacetCounts,
  LAKE_ONLY,
  type Resolution,
  type SearchFilters,
  type SearchHit,
  type SearchPage,
  type SearchPageQuery,
  type SearchRepository,
  type SearchScope,
  type SearchSort,
  SIZE_BUCKETS,
} from '../../ports/search.js';
import { EVERYONE } from './access-scope.js';
import type { Database } from './database.js';
import { type DialectName, searchRowsMatchingWords } from './dialect.js';

type Condition = RawBuilder<unknown>;

/** API sort names to SQL expressions over `assets a join folders f`. */
const SORT_EXPRESSIONS: Record<SearchSort, string> = {
  name: 'a.sort_name',
  id: 'a.id',
  folder: 'f.path',
  format: 'a.format',
  kind: 'a.kind',
  state: 'a.state',
  created: 'a.created_at',
  modified: 'a.updated_at',
  size: 'a.size',
  duration: 'a.duration',
  width: 'a.width',
  height: 'a.height',
  frameRate: 'a.frame_rate',
  videoCodec: 'a.video_codec',
  audioCodec: 'a.audio_codec',
  audioTracks: 'a.audio_tracks',
  uploadedBy: 'a.uploaded_by',
};

/** The same classes as `RESOLUTION_CLASSES`: the larger of the two sides decides. */
const RESOLUTION_EXPRESSION = `case when a.width is null or a.height is null then null
  when a.width >= 3840 or a.height >= 2160 then 'UHD'
  when a.width >= 1280 or a.height >= 720 then 'HD' else 'SD' end`;

function bucketExpression(column: string, buckets: ReadonlyArray<readonly [string, number, number | null]>) {
  const arms = buckets
    .map(([name, , upper]) =>
      upper === null ? `else '${name}'` : `when ${column} < ${upper} then '${name}'`,
    )
    .join(' ');
  return `case when ${column} is null then null ${arms} end`;
}

const COLUMNS = sql.raw(
  'a.id, a.folder_id, a.name, a.sort_name, a.format, a.kind, a.size, a.etag, a.lake_mtime, a.state, a.state_reason, ' +
    'a.current_job, a.checksum_xxh64, a.checksum_md5, a.duration, a.width, a.height, a.frame_rate, a.video_codec, ' +
    'a.audio_codec, a.audio_tracks, a.uploaded_by, a.created_at, a.updated_at, a.trashed_at, a.trashed_from, a.trash_key',
);

/**
 * Search on either dialect, permission filter inside the query: a non-admin's rows come only
 * from folders in folder_access for one of their groups (or EVERYONE, the root), so paging,
 * totals and facet counts are exact. An edit volume holds an asset when asset_locations has
 * a verified copy there (a copy an editor changed no longer counts).
 */
export class KyselySearchRepository implements SearchRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  async page(query: SearchPageQuery): Promise<SearchPage> {
    return query.words.length > 0 ? this.textPage(query) : this.walkPage(query);
  }

  /**
   * Without text: the sort order's index is walked and stops after a page (a folder's own
   * indexes when a folder or the caller's folders narrow it); the total is counted apart.
   */
  private async walkPage(query: SearchPageQuery): Promise<SearchPage> {
    const conditions = await this.conditions(query);
    const column = sql.raw(SORT_EXPRESSIONS[query.sort]);
    if (query.after) conditions.push(keyset(column, sql`a.id`, query.order, query.after));
    conditions.push(sql`f.id = a.folder_id`);
    const { rows } = await sql<Asset & { folderPath: string }>`
      select ${COLUMNS}, f.path as folder_path
      from ${this.from(query, true)}
      where ${sql.join(conditions, sql` and `)}
      order by ${column} ${direction(query.order)}, a.id ${sql.raw(query.order)}
      limit ${query.limit}`.execute(this.db);
    return { hits: rows.map(toHit), total: null };
  }

  /**
   * With text every match is read to sort it, so the same pass counts them (a window over
   * all matches, before the cursor's rows are cut), and only the page's rows are read whole
   * and joined to their folders.
   */
  private async textPage(query: SearchPageQuery): Promise<SearchPage> {
    const conditions = await this.conditions(query);
    const byFolder = query.sort === 'folder';
    if (byFolder) conditions.push(sql`f.id = a.folder_id`);
    const column = sql.raw(SORT_EXPRESSIONS[query.sort]);
    const after = query.after ? keyset(sql`p.sort_value`, sql`p.id`, query.order, query.after) : sql`1 = 1`;
    const order = (t: string) =>
      sql`${sql.raw(t)}.sort_value ${direction(query.order)}, ${sql.raw(t)}.id ${sql.raw(query.order)}`;
    const { rows } = await sql<Asset & { folderPath: string; totalCount: number | string }>`
      select ${COLUMNS}, f.path as folder_path, q.total_count
      from (
        select p.id, p.sort_value, p.total_count from (
          select a.id, ${column} as sort_value, count(*) over () as total_count
          from ${this.from(query, byFolder)}
          where ${sql.join(conditions, sql` and `)}
        ) p
        where ${after}
        order by ${order('p')}
        limit ${query.limit}
      ) q cross join assets a cross join folders f
      where a.id = q.id and f.id = a.folder_id
      order by ${order('q')}`.execute(this.db);
    const total = rows.length > 0 ? Number(rows[0].totalCount) : query.after ? null : 0;
    return { hits: rows.map(({ totalCount, ...row }) => toHit(row)), total };
  }

  async count(query: SearchFilters & { scope: SearchScope }): Promise<number> {
    const conditions = await this.conditions(query);
    const { rows } = await sql<{ n: number | string }>`
      select count(*) as n from ${this.from(query, false)}
      where ${sql.join(conditions, sql` and `)}`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }

  async facets(query: SearchFilters & { scope: SearchScope }): Promise<FacetCounts> {
    const conditions = await this.conditions(query);
    const plain: Array<[string, string]> = [
      ['kind', 'kind'],
      ['format', 'format'],
      ['videoCodec', 'video_codec'],
      ['audioCodec', 'audio_codec'],
      ['resolution', 'resolution'],
      ['frameRate', 'frame_rate'],
      ['state', 'state'],
      ['uploadedBy', 'uploaded_by'],
      ['duration', 'duration_bucket'],
      ['size', 'size_bucket'],
    ];
    const parts = plain.map(
      ([facet, column]) =>
        `select '${facet}' as facet, ${column} as value, count(*) as n from r where ${column} is not null group by ${column}`,
    );
    parts.push(
      `select 'location' as facet, l.volume_id as value, count(*) as n from r join asset_locations l on l.asset_id = r.id and l.state = 'verified' group by l.volume_id`,
      `select 'location' as facet, '${LAKE_ONLY}' as value, count(*) as n from r where not exists (select 1 from asset_locations l where l.asset_id = r.id and l.state = 'verified')`,
    );
    // One pass over the matching rows, then a group-by per facet over that materialised set.
    const { rows } = await sql<{ facet: string; value: string; n: number | string }>`
      with r as materialized (
        select a.id, a.kind, a.format, a.video_codec, a.audio_codec, a.frame_rate, a.state, a.uploaded_by,
          ${sql.raw(RESOLUTION_EXPRESSION)} as resolution,
          ${sql.raw(bucketExpression('a.duration', DURATION_BUCKETS))} as duration_bucket,
          ${sql.raw(bucketExpression('a.size', SIZE_BUCKETS))} as size_bucket
        from ${this.from(query, false)}
        where ${sql.join(conditions, sql` and `)}
      )
      ${sql.raw(parts.join(' union all '))}`.execute(this.db);
    const facets = Object.fromEntries(FACETS.map((f) => [f, []])) as unknown as FacetCounts;
    for (const row of rows) {
      const count = Number(row.n);
      if (count > 0) facets[row.facet as keyof FacetCounts].push({ value: String(row.value), count });
    }
    for (const list of Object.values(facets))
      list.sort((x, y) => y.count - x.count || (x.value < y.value ? -1 : x.value > y.value ? 1 : 0));
    return facets;
  }

  async locations(assetIds: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>(assetIds.map((id) => [id, []]));
    if (assetIds.length === 0) return map;
    const { rows } = await sql<{ assetId: string; volumeId: string }>`
      select asset_id, volume_id from asset_locations
      where asset_id in (${sql.join(assetIds)}) and state = 'verified' order by volume_id`.execute(this.db);
    for (const row of rows) map.get(row.assetId)?.push(row.volumeId);
    return map;
  }

  /**
   * The rows to filter: with words, the matching search rows, which carry every column the
   * conditions read (only a page's rows are read from assets); without, the assets. CROSS
   * JOIN fixes the join order on SQLite (PostgreSQL plans it freely). The folder joins in only where its
   * path is read (a page's rows, the folder sort); the caller adds `f.id = a.folder_id`.
   */
  private from(query: SearchFilters, withFolder: boolean) {
    const folder = withFolder ? sql` cross join folders f` : sql``;
    if (query.words.length === 0) return sql`assets a${folder}`;
    return sql`(${searchRowsMatchingWords(this.dialect, query.words)}) a${folder}`;
  }

  private async conditions(query: SearchFilters & { scope: SearchScope }): Promise<Condition[]> {
    const c: Condition[] = [sql`a.trashed_at is null`];
    if (!query.scope.all) c.push(visibleCondition(query.scope.groups, query.words.length > 0));
    const anyOf = (column: string, values?: string[]) => {
      if (values && values.length > 0) c.push(sql`${sql.raw(column)} in (${sql.join(values)})`);
    };
    anyOf('a.kind', query.kinds);
    anyOf('a.format', query.formats);
    anyOf('a.video_codec', query.videoCodecs);
    anyOf('a.audio_codec', query.audioCodecs);
    anyOf('a.frame_rate', query.frameRates);
    anyOf('a.state', query.states);
    anyOf('a.uploaded_by', query.uploadedBy);
    if (query.resolutions && query.resolutions.length > 0) c.push(resolutionCondition(query.resolutions));
    const range = (column: string, min?: number, max?: number) => {
      if (min !== undefined) c.push(sql`${sql.raw(column)} >= ${min}`);
      if (max !== undefined) c.push(sql`${sql.raw(column)} <= ${max}`);
    };
    range('a.duration', query.duration?.min, query.duration?.max);
    range('a.size', query.size?.min, query.size?.max);
    range('a.created_at', query.created?.from, query.created?.to);
    range('a.updated_at', query.modified?.from, query.modified?.to);
    if (query.folder && query.folder.path !== '/') {
      // The folders of a subtree are few (a scan of the folders table); the assets are not.
      const pattern = `${query.folder.path.replace(/[\\%_]/g, (ch) => `\\${ch}`)}/%`;
      c.push(
        sql`a.folder_id in (select id from folders where id = ${query.folder.id} or path like ${pattern} escape '\\')`,
      );
    }
    if (query.locations && query.locations.length > 0) c.push(locationCondition(query.locations));
    return c;
  }
}

/**
 * The caller's folders (folder_access holds each folder's effective groups). When text
 * matches drive the query, each row is checked by the access table's key (a few index
 * probes); a list of visible folders there made SQLite probe the asset index once per
 * visible folder for every match (1.4 s for an editor's 70-row count). Without text the
 * visible folders drive: their assets are found through the folder indexes.
 */
function visibleCondition(groups: string[], textDriven: boolean): Condition {
  const names = sql.join([...groups, EVERYONE]);
  return textDriven
    ? sql`exists (select 1 from folder_access v where v.folder_id = a.folder_id and v.group_name in (${names}))`
    : sql`a.folder_id in (select folder_id from folder_access where group_name in (${names}))`;
}

/** `lake`: no edit volume holds a verified copy; a volume id: that volume does. */
function locationCondition(locations: string[]): Condition {
  const lakeOnly = locations.includes(LAKE_ONLY);
  const volumes = locations.filter((l) => l !== LAKE_ONLY);
  const arms: Condition[] = [];
  if (lakeOnly)
    arms.push(
      sql`not exists (select 1 from asset_locations l where l.asset_id = a.id and l.state = 'verified')`,
    );
  if (volumes.length > 0)
    arms.push(
      sql`exists (select 1 from asset_locations l where l.asset_id = a.id and l.state = 'verified' and l.volume_id in (${sql.join(volumes)}))`,
    );
  return sql`(${sql.join(arms, sql` or `)})`;
}

function resolutionCondition(resolutions: Resolution[]): Condition {
  const arms = resolutions.map((r) =>
    typeof r === 'string'
      ? sql`(${sql.raw(RESOLUTION_EXPRESSION)}) = ${r}`
      : sql`(a.width = ${r.width} and a.height = ${r.height})`,
  );
  return sql`(${sql.join(arms, sql` or `)})`;
}

function direction(order: 'asc' | 'desc') {
  return sql.raw(order === 'asc' ? 'asc nulls first' : 'desc nulls last');
}

function toHit({ folderPath, ...asset }: Asset & { folderPath: string }): SearchHit {
  return { asset: asset as Asset, folderPath };
}

/** Rows after (value, id) in the sort order; nulls come first ascending and last descending. */
function keyset(
  column: RawBuilder<unknown>,
  idColumn: RawBuilder<unknown>,
  order: 'asc' | 'desc',
  after: { value: string | number | null; id: string },
): Condition {
  const { value, id } = after;
  if (value === null) {
    return order === 'asc'
      ? sql`((${column} is null and ${idColumn} > ${id}) or ${column} is not null)`
      : sql`(${column} is null and ${idColumn} < ${id})`;
  }
  return order === 'asc'
    ? sql`(${column} > ${value} or (${column} = ${value} and ${idColumn} > ${id}))`
    : sql`(${column} < ${value} or (${column} = ${value} and ${idColumn} < ${id}) or ${column} is null)`;
}
