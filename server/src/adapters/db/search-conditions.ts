import { type RawBuilder, sql } from 'kysely';
import {
  type FacetName,
  LAKE_ONLY,
  type Resolution,
  type SearchFilters,
  type SearchScope,
} from '../../ports/search.js';
import { EVERYONE } from './access-scope.js';
import { pathBelow } from './path-conditions.js';

export type Condition = RawBuilder<unknown>;

/** The same classes as `RESOLUTION_CLASSES`: the larger of the two sides decides. */
export const RESOLUTION_EXPRESSION = `case when a.width is null or a.height is null then null
  when a.width >= 3840 or a.height >= 2160 then 'UHD'
  when a.width >= 1280 or a.height >= 720 then 'HD' else 'SD' end`;

/**
 * A search's conditions over rows `a` (search rows or assets, which share the column names):
 * `base` always applies (not trashed, the caller's folders, dates, the folder); `byFacet`
 * holds the filter of each facet that is set, which the facet counts leave out one at a time.
 */
export interface SearchConditions {
  base: Condition[];
  byFacet: Partial<Record<FacetName, Condition>>;
}

export function searchConditions(query: SearchFilters & { scope: SearchScope }): SearchConditions {
  const base: Condition[] = [sql`a.trashed_at is null`];
  if (!query.scope.all) base.push(visibleCondition(query.scope.groups, query.words.length > 0));
  const range = (column: string, min?: number, max?: number) => {
    const c: Condition[] = [];
    if (min !== undefined) c.push(sql`${sql.raw(column)} >= ${min}`);
    if (max !== undefined) c.push(sql`${sql.raw(column)} <= ${max}`);
    return c;
  };
  base.push(...range('a.created_at', query.created?.from, query.created?.to));
  base.push(...range('a.updated_at', query.modified?.from, query.modified?.to));
  if (query.folder && query.folder.path !== '/') {
    // The folders of a subtree are few (a scan of the folders table); the assets are not.
    base.push(
      sql`a.folder_id in (select id from folders where id = ${query.folder.id} or ${pathBelow('path', query.folder.path)})`,
    );
  }

  const byFacet: SearchConditions['byFacet'] = {};
  const anyOf = (facet: FacetName, column: string, values?: string[]) => {
    if (values && values.length > 0) byFacet[facet] = sql`${sql.raw(column)} in (${sql.join(values)})`;
  };
  anyOf('kind', 'a.kind', query.kinds);
  anyOf('format', 'a.format', query.formats);
  anyOf('videoCodec', 'a.video_codec', query.videoCodecs);
  anyOf('audioCodec', 'a.audio_codec', query.audioCodecs);
  anyOf('frameRate', 'a.frame_rate', query.frameRates);
  anyOf('state', 'a.state', query.states);
  anyOf('uploadedBy', 'a.uploaded_by', query.uploadedBy);
  if (query.resolutions && query.resolutions.length > 0)
    byFacet.resolution = resolutionCondition(query.resolutions);
  if (query.locations && query.locations.length > 0) byFacet.location = locationCondition(query.locations);
  // Logging fields live in asset_logs; search rows and assets both carry the asset's id.
  const logged = (column: string, values?: string[]) =>
    values && values.length > 0
      ? sql`a.id in (select asset_id from asset_logs where ${sql.raw(column)} in (${sql.join(values)}))`
      : undefined;
  const camera = logged('camera', query.cameras);
  if (camera) byFacet.camera = camera;
  const reel = logged('reel', query.reels);
  if (reel) byFacet.reel = reel;
  const scene = logged('scene', query.scenes);
  if (scene) byFacet.scene = scene;
  const take = logged('take', query.takes);
  if (take) byFacet.take = take;
  if (query.circled !== undefined)
    byFacet.circled = query.circled
      ? sql`a.id in (select asset_id from asset_logs where circled = 1)`
      : sql`a.id not in (select asset_id from asset_logs where circled = 1)`;
  if (query.ratingMin !== undefined)
    base.push(sql`a.id in (select asset_id from asset_logs where rating >= ${query.ratingMin})`);
  for (const c of query.custom ?? []) {
    base.push(
      c.number !== undefined
        ? sql`a.id in (select asset_id from asset_log_values where field_id = ${c.fieldId} and number_value = ${c.number})`
        : sql`a.id in (select asset_id from asset_log_values where field_id = ${c.fieldId} and search_key = ${c.text ?? ''})`,
    );
  }
  const both = (c: Condition[]) => (c.length > 0 ? sql`(${sql.join(c, sql` and `)})` : undefined);
  const duration = both(range('a.duration', query.duration?.min, query.duration?.max));
  if (duration) byFacet.duration = duration;
  const size = both(range('a.size', query.size?.min, query.size?.max));
  if (size) byFacet.size = size;
  return { base, byFacet };
}

/** Every condition of a search: what a page and its total read. */
export function allConditions({ base, byFacet }: SearchConditions): Condition[] {
  return [...base, ...Object.values(byFacet)];
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
