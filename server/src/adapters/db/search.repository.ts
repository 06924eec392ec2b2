import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Asset } from '../../ports/catalog.js';
import type {
  FacetCounts,
  SearchFilters,
  SearchHit,
  SearchPage,
  SearchPageQuery,
  SearchRepository,
  SearchScope,
  SearchSort,
} from '../../ports/search.js';
import type { Database } from './database.js';
import { allSearchRows, type DialectName, searchRowsMatchingWords } from './dialect.js';
import { allConditions, type Condition, searchConditions } from './search-conditions.js';
import { countFacets } from './search-facets.js';
import { SearchWordStatistics } from './search-word-statistics.js';

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

const COLUMNS = sql.raw(
  'a.id, a.folder_id, a.name, a.sort_name, a.format, a.kind, a.size, a.etag, a.lake_mtime, a.state, a.state_reason, ' +
    'a.current_job, a.checksum_xxh64, a.checksum_md5, a.duration, a.width, a.height, a.frame_rate, a.video_codec, ' +
    'a.audio_codec, a.audio_tracks, a.start_timecode, a.uploaded_by, a.created_at, a.updated_at, a.trashed_at, a.trashed_from, a.trash_key, ' +
    'a.content_format',
);

/**
 * Search on either dialect, permission filter inside the query: a non-admin's rows come only
 * from folders in folder_access for one of their groups (or EVERYONE, the root), so paging,
 * totals and facet counts are exact. An edit volume holds an asset when asset_locations has
 * a verified copy there (a copy an editor changed no longer counts).
 */
export class KyselySearchRepository implements SearchRepository {
  private readonly words: SearchWordStatistics;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {
    this.words = new SearchWordStatistics(db, dialect);
  }

  async page(query: SearchPageQuery): Promise<SearchPage> {
    return query.words.length > 0 ? this.textPage(query) : this.walkPage(query);
  }

  /**
   * Without text: the sort order's index is walked and stops after a page (a folder's own
   * indexes when a folder or the caller's folders narrow it); the total is counted apart.
   */
  private async walkPage(query: SearchPageQuery): Promise<SearchPage> {
    const split = searchConditions(query);
    if (this.dialect === 'sqlite') {
      // A kind or a state matches a large share of the lake, which SQLite cannot see through
      // a bound parameter: it read 640,000 rows by the state index and sorted them (5 s)
      // instead of walking the sort order for 101 rows (2 ms). The hint says so.
      for (const facet of ['kind', 'state'] as const) {
        const condition = split.byFacet[facet];
        if (condition) split.byFacet[facet] = sql`likelihood(${condition}, 0.9)`;
      }
    }
    const conditions = allConditions(split);
    const column = sql.raw(SORT_EXPRESSIONS[query.sort]);
    if (query.after) conditions.push(keyset(column, sql`a.id`, query.order, query.after));
    conditions.push(sql`f.id = a.folder_id`);
    const { rows } = await sql<Asset & { folderPath: string }>`
      select ${COLUMNS}, f.path as folder_path
      from assets a cross join folders f
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
    const conditions = allConditions(searchConditions(query));
    const matches = await this.rows(query);
    // The folder joins in only where its path is read (the folder sort, the page's rows);
    // CROSS JOIN fixes SQLite's join order to start from the matches.
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
          from (${matches}) a${byFolder ? sql` cross join folders f` : sql``}
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
    const conditions = allConditions(searchConditions(query));
    const { rows } = await sql<{ n: number | string }>`
      select count(*) as n from (${await this.rows(query)}) a
      where ${sql.join(conditions, sql` and `)}`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }

  async facets(query: SearchFilters & { scope: SearchScope }): Promise<FacetCounts> {
    return countFacets(
      this.db,
      this.dialect,
      await this.rows(query),
      query.words.length > 0,
      searchConditions(query),
    );
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

  /** The rows a count or the facets read: the text's matches, or every search row. */
  private async rows(query: SearchFilters) {
    return query.words.length > 0
      ? searchRowsMatchingWords(this.dialect, await this.words.plan(query.words))
      : allSearchRows(this.dialect);
  }
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
