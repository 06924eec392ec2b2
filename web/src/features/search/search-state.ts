/**
 * What a search is, as the URL holds it (`/search?q=a003&kind=video&duration=1-10m`), and how
 * it becomes the query of `GET /api/search`. The URL names are the API's, except duration and
 * size, which hold one of the server's facet buckets and become a min/max range.
 */
import type { SearchQuery } from '../../lib/api-client';

export type FacetKey =
  | 'kind'
  | 'format'
  | 'videoCodec'
  | 'audioCodec'
  | 'resolution'
  | 'frameRate'
  | 'duration'
  | 'size'
  | 'state'
  | 'location'
  | 'uploadedBy'
  | 'camera'
  | 'reel'
  | 'scene'
  | 'take'
  | 'circled';

export interface FacetDefinition {
  key: FacetKey;
  label: string;
  /** Duration and size buckets are ranges: one at a time. */
  single?: boolean;
}

export const FACETS: FacetDefinition[] = [
  { key: 'kind', label: 'Kind' },
  { key: 'format', label: 'Format' },
  { key: 'videoCodec', label: 'Video codec' },
  { key: 'audioCodec', label: 'Audio codec' },
  { key: 'resolution', label: 'Resolution' },
  { key: 'frameRate', label: 'Frame rate' },
  { key: 'duration', label: 'Duration', single: true },
  { key: 'size', label: 'Size', single: true },
  { key: 'state', label: 'Status' },
  { key: 'location', label: 'Location' },
  { key: 'uploadedBy', label: 'Uploaded by' },
  // Logging fields: what the set said about each clip.
  { key: 'camera', label: 'Camera' },
  { key: 'reel', label: 'Reel' },
  { key: 'scene', label: 'Scene' },
  { key: 'take', label: 'Take' },
  { key: 'circled', label: 'Circled', single: true },
];

export const DATE_KEYS = ['createdFrom', 'createdTo', 'modifiedFrom', 'modifiedTo'] as const;
export type DateKey = (typeof DATE_KEYS)[number];

/** The server's buckets (`ports/search.ts`): label → [min, max) in seconds or bytes. */
const RANGES: Record<'duration' | 'size', Record<string, [number, number | null]>> = {
  duration: { '<1m': [0, 60], '1-10m': [60, 600], '10-60m': [600, 3600], '>1h': [3600, null] },
  size: {
    '<100MB': [0, 100_000_000],
    '100MB-1GB': [100_000_000, 1_000_000_000],
    '1-10GB': [1_000_000_000, 10_000_000_000],
    '>10GB': [10_000_000_000, null],
  },
};

export interface SearchState {
  q: string;
  filters: Partial<Record<FacetKey, string[]>>;
  dates: Partial<Record<DateKey, string>>;
}

/** Every URL parameter that belongs to the search, so leaving it drops them all. */
export const SEARCH_PARAMS = ['q', ...FACETS.map((f) => f.key), ...DATE_KEYS];

export function searchStateFromUrl(params: URLSearchParams): SearchState {
  const filters: SearchState['filters'] = {};
  for (const { key } of FACETS) {
    const values = (params.get(key) ?? '').split(',').filter(Boolean);
    if (values.length > 0) filters[key] = values;
  }
  const dates: SearchState['dates'] = {};
  for (const key of DATE_KEYS) {
    const value = params.get(key);
    if (value) dates[key] = value;
  }
  return { q: params.get('q') ?? '', filters, dates };
}

export function activeFilterCount(state: SearchState): number {
  return Object.keys(state.filters).length + Object.keys(state.dates).length;
}

export function toSearchQuery(state: SearchState): SearchQuery {
  const query: SearchQuery = { ...state.dates };
  if (state.q.trim()) query.q = state.q.trim();
  for (const [key, values] of Object.entries(state.filters) as [FacetKey, string[]][]) {
    if (key === 'duration' || key === 'size') {
      const range = RANGES[key][values[0]];
      if (!range) continue;
      // The server's ranges include both ends; the buckets exclude their upper bound.
      const below = key === 'duration' ? 0.001 : 1;
      query[`${key}Min`] = range[0];
      if (range[1] !== null) query[`${key}Max`] = range[1] - below;
    } else if (key === 'circled') {
      if (values[0] === 'yes' || values[0] === 'no') query.circled = values[0];
    } else query[key] = values.join(',');
  }
  return query;
}
