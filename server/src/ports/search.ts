import type { AccessScope, Asset } from './catalog.js';

/**
 * Search over the whole catalog. Permissions are part of the query (`scope`), so pages,
 * totals and facet counts only ever count what the caller may see.
 */

/** Every folder (admins), or the folders open to one of `groups` (folder_access; the root is open to all). */
export type SearchScope = AccessScope;

export const SEARCH_SORTS = [
  'name',
  'id',
  'folder',
  'format',
  'kind',
  'state',
  'created',
  'modified',
  'size',
  'duration',
  'width',
  'height',
  'frameRate',
  'videoCodec',
  'audioCodec',
  'audioTracks',
  'uploadedBy',
] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export const RESOLUTION_CLASSES = ['SD', 'HD', 'UHD'] as const;
export type ResolutionClass = (typeof RESOLUTION_CLASSES)[number];
export type Resolution = ResolutionClass | { width: number; height: number };

/** Where a copy is: `lake` alone means no edit volume holds it; otherwise a volume id. */
export const LAKE_ONLY = 'lake';

export interface SearchFilters {
  /** Words already folded (lower case, no accents); each matches a word of the name or folder path by prefix. */
  words: string[];
  kinds?: string[];
  formats?: string[];
  videoCodecs?: string[];
  audioCodecs?: string[];
  resolutions?: Resolution[];
  frameRates?: string[];
  states?: string[];
  /** `lake` (no edit volume holds a copy) and/or volume ids (a copy is on that volume). */
  locations?: string[];
  uploadedBy?: string[];
  /** Seconds, inclusive. */
  duration?: { min?: number; max?: number };
  /** Bytes, inclusive. */
  size?: { min?: number; max?: number };
  /** Epoch ms, inclusive. */
  created?: { from?: number; to?: number };
  modified?: { from?: number; to?: number };
  /** Assets in this folder or any folder below it. */
  folder?: { id: string; path: string };
  /** Logging fields (codes as stored: upper case). */
  cameras?: string[];
  reels?: string[];
  scenes?: string[];
  takes?: string[];
  circled?: boolean;
  /** At least this many stars. */
  ratingMin?: number;
  /** Custom fields: text and choice values by their folded key (lib/log-values `foldLogValue`), numbers exactly. */
  custom?: Array<{ fieldId: string; text?: string; number?: number }>;
}

export interface SearchPageQuery extends SearchFilters {
  scope: SearchScope;
  sort: SearchSort;
  order: 'asc' | 'desc';
  limit: number;
  /** The sort value and id of the last row of the previous page. */
  after?: { value: string | number | null; id: string };
}

export interface SearchHit {
  asset: Asset;
  folderPath: string;
}

export const FACETS = [
  'kind',
  'format',
  'videoCodec',
  'audioCodec',
  'resolution',
  'frameRate',
  'state',
  'location',
  'uploadedBy',
  'duration',
  'size',
  'camera',
  'reel',
  'scene',
  'take',
  'circled',
] as const;
export type FacetName = (typeof FACETS)[number];

/** Buckets of the range facets: [name, lower bound inclusive, upper bound exclusive]. */
export const DURATION_BUCKETS: ReadonlyArray<readonly [string, number, number | null]> = [
  ['<1m', 0, 60],
  ['1-10m', 60, 600],
  ['10-60m', 600, 3600],
  ['>1h', 3600, null],
];
export const SIZE_BUCKETS: ReadonlyArray<readonly [string, number, number | null]> = [
  ['<100MB', 0, 100_000_000],
  ['100MB-1GB', 100_000_000, 1_000_000_000],
  ['1-10GB', 1_000_000_000, 10_000_000_000],
  ['>10GB', 10_000_000_000, null],
];

/** The facets read from the logging fields (asset_logs), counted apart from the asset columns. */
export const LOG_FACETS = ['camera', 'reel', 'scene', 'take', 'circled'] as const;

/** Per facet, each value with the number of matching assets, most first. Null values are left out. */
export type FacetCounts = Record<FacetName, Array<{ value: string; count: number }>>;

/** One page; `total` when the same pass counted every match (null: ask `count`). */
export interface SearchPage {
  hits: SearchHit[];
  total: number | null;
}

export interface SearchRepository {
  page(query: SearchPageQuery): Promise<SearchPage>;
  count(query: SearchFilters & { scope: SearchScope }): Promise<number>;
  facets(query: SearchFilters & { scope: SearchScope }): Promise<FacetCounts>;
  /** Every edit volume location of these assets (volume ids), for the views. */
  locations(assetIds: string[]): Promise<Map<string, string[]>>;
}
