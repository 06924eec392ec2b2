import type { Static } from 'typebox';
import { Invalid } from '../../lib/errors.js';
import { normaliseCode } from '../../lib/log-values.js';
import { normalizeFolderPath } from '../../lib/paths.js';
import type { CustomLogField } from '../../ports/asset-log.js';
import type { Asset } from '../../ports/catalog.js';
import {
  type FacetCounts,
  RESOLUTION_CLASSES,
  type Resolution,
  type SearchFilters,
  type SearchHit,
  type SearchRepository,
  type SearchScope,
  type SearchSort,
} from '../../ports/search.js';
import type { AccessPolicy } from '../access/access.policy.js';
import { isAdmin } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { type AssetView, toAssetView } from '../assets/asset.view.js';
import { decodeCursor, encodeCursor } from '../assets/cursor.js';
import type { LogView } from '../logging/logging.service.js';
import { logTerms } from './log-terms.js';
import type { SearchQuery } from './search.schemas.js';

export const MAX_SEARCH_WORDS = 32;

export interface SearchResult {
  items: AssetView[];
  total: number;
  nextCursor: string | null;
  facets: FacetCounts | null;
}

const SORT_VALUE: Record<SearchSort, (hit: SearchHit) => string | number | null> = {
  name: (h) => h.asset.sortName,
  id: (h) => h.asset.id,
  folder: (h) => h.folderPath,
  format: (h) => h.asset.format,
  kind: (h) => h.asset.kind,
  state: (h) => h.asset.state,
  created: (h) => h.asset.createdAt,
  modified: (h) => h.asset.updatedAt,
  size: (h) => h.asset.size,
  duration: (h) => h.asset.duration,
  width: (h) => h.asset.width,
  height: (h) => h.asset.height,
  frameRate: (h) => h.asset.frameRate,
  videoCodec: (h) => h.asset.videoCodec,
  audioCodec: (h) => h.asset.audioCodec,
  audioTracks: (h) => h.asset.audioTracks,
  uploadedBy: (h) => h.asset.uploadedBy,
};

/**
 * The words of a query as the index holds them: case and accents folded, split on anything
 * that is not a letter or digit. Query syntax characters therefore never reach the engine.
 */
export function searchWords(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  return [...new Set(folded.match(/[\p{L}\p{N}]+/gu) ?? [])];
}

/** Search over the lake, within what the actor may see. */
export class SearchService {
  constructor(
    private readonly deps: {
      search: SearchRepository;
      access: AccessPolicy;
      /** Each asset's logging fields, for the views. */
      logs?: (assetIds: string[]) => Promise<Map<string, LogView>>;
      /** The custom logging fields, so `key:value` words can name them. */
      logFields?: () => Promise<CustomLogField[]>;
    },
  ) {}

  async search(actor: Actor, query: Static<typeof SearchQuery>): Promise<SearchResult> {
    const { search, access } = this.deps;
    const scope: SearchScope = isAdmin(actor) ? { all: true } : { all: false, groups: actor.groups };
    const filters = parseFilters(query, (await this.deps.logFields?.()) ?? []);
    if (query.folder !== undefined) {
      // A hidden folder answers like a missing one.
      const folder = await access.requireFolder(actor, normalizeFolderPath(query.folder));
      filters.folder = { id: folder.id, path: folder.path };
    }
    const sort = query.sort ?? 'name';
    const limit = query.limit ?? 100;
    const { hits, total: counted } = await search.page({
      ...filters,
      scope,
      sort,
      order: query.order ?? 'asc',
      limit: limit + 1,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
    const page = hits.slice(0, limit);
    const last = page[page.length - 1];
    const ids = page.map((h) => h.asset.id);
    const [total, facets, locations, logs] = await Promise.all([
      counted ?? search.count({ ...filters, scope }),
      query.facets === false ? null : search.facets({ ...filters, scope }),
      search.locations(ids),
      this.deps.logs ? this.deps.logs(ids) : new Map<string, LogView>(),
    ]);
    return {
      items: page.map((h) =>
        toAssetView(
          h.asset as Asset,
          h.folderPath,
          ['lake', ...(locations.get(h.asset.id) ?? [])],
          [],
          logs.get(h.asset.id),
        ),
      ),
      total,
      nextCursor:
        hits.length > limit && last
          ? encodeCursor({ value: SORT_VALUE[sort](last), id: last.asset.id })
          : null,
      facets,
    };
  }
}

function parseFilters(query: Static<typeof SearchQuery>, fields: CustomLogField[]): SearchFilters {
  const { text, filters: log } = logTerms(query.q ?? '', fields);
  const words = searchWords(text);
  if (words.length > MAX_SEARCH_WORDS)
    throw new Invalid(`The search has ${words.length} words; use at most ${MAX_SEARCH_WORDS}.`);
  return {
    words,
    kinds: values(query.kind),
    formats: values(query.format),
    videoCodecs: values(query.videoCodec),
    audioCodecs: values(query.audioCodec),
    resolutions: values(query.resolution)?.map(parseResolution),
    frameRates: values(query.frameRate),
    states: values(query.state),
    locations: values(query.location),
    uploadedBy: values(query.uploadedBy),
    duration: range('duration', query.durationMin, query.durationMax),
    size: range('size', query.sizeMin, query.sizeMax),
    created: timeRange('created', query.createdFrom, query.createdTo),
    modified: timeRange('modified', query.modifiedFrom, query.modifiedTo),
    ...log,
    cameras: codes('camera', query.camera, log.cameras),
    reels: codes('reel', query.reel, log.reels),
    scenes: codes('scene', query.scene, log.scenes),
    takes: codes('take', query.take, log.takes),
    circled: query.circled === undefined ? log.circled : query.circled === 'yes',
    ratingMin: query.ratingMin ?? log.ratingMin,
  };
}

/** A code filter from its parameter and from `key:value` words, as stored (upper case). */
function codes(what: string, text: string | undefined, fromWords: string[] = []): string[] | undefined {
  const list = [
    ...new Set([
      ...(values(text) ?? []).map((v) => normaliseCode(v, what)).filter((v) => v !== null),
      ...fromWords,
    ]),
  ];
  return list.length > 0 ? list : undefined;
}

function values(text: string | undefined): string[] | undefined {
  const list = text
    ?.split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return list && list.length > 0 ? [...new Set(list)] : undefined;
}

function parseResolution(text: string): Resolution {
  const upper = text.toUpperCase();
  if ((RESOLUTION_CLASSES as readonly string[]).includes(upper)) return upper as Resolution;
  const exact = /^(\d{1,5})[xX×](\d{1,5})$/.exec(text);
  if (!exact)
    throw new Invalid(`The resolution "${text}" is not SD, HD, UHD or WIDTHxHEIGHT (such as 1920x1080).`);
  return { width: Number(exact[1]), height: Number(exact[2]) };
}

function range(name: string, min?: number, max?: number) {
  if (min === undefined && max === undefined) return undefined;
  if (min !== undefined && max !== undefined && min > max)
    throw new Invalid(`The ${name} range is empty: its minimum is above its maximum.`);
  return { min, max };
}

function timeRange(name: string, from?: string, to?: string) {
  if (from === undefined && to === undefined) return undefined;
  const start = from === undefined ? undefined : parseTime(name, from, false);
  const end = to === undefined ? undefined : parseTime(name, to, true);
  if (start !== undefined && end !== undefined && start > end)
    throw new Invalid(`The ${name} range is empty: it ends before it starts.`);
  return { from: start, to: end };
}

/** An ISO date or date-time; a bare date as an upper bound means the whole of that day (UTC). */
function parseTime(name: string, text: string, endOfDay: boolean): number {
  const bareDate = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = Date.parse(bareDate ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(text))
    throw new Invalid(`The ${name} time "${text}" is not an ISO 8601 date or date-time.`);
  return bareDate && endOfDay ? ms + 86_400_000 - 1 : ms;
}
