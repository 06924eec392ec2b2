import { Type } from 'typebox';
import { FACETS, SEARCH_SORTS } from '../../ports/search.js';
import { AssetResponse } from '../assets/assets.schemas.js';

const list = (what: string, example: string) =>
  Type.Optional(
    Type.String({
      maxLength: 2000,
      description: `${what}; several values separated by commas match any of them (e.g. \`${example}\`).`,
    }),
  );
const time = (what: string) =>
  Type.Optional(
    Type.String({
      maxLength: 40,
      description: `${what}, inclusive: an ISO 8601 date (\`2026-11-26\`, UTC midnight) or date-time.`,
    }),
  );

export const SearchQuery = Type.Object({
  q: Type.Optional(
    Type.String({
      maxLength: 1000,
      description:
        'Free text over file names, folder paths and logged descriptions. Each word matches the start of a word in the ' +
        'name, path or description (`a003` finds `A003C012.mov`, `boom` a take described "boom dips in"), ignoring case and accents (`unic` finds `ünïcödé`); ' +
        'all words must match. A word `field:value` on a logging field filters by it instead: ' +
        '`scene:12`, `take:3`, `camera:A`, `reel:A001`, `circled:yes`, `rating:4` (at least), or a custom ' +
        'field by its key (`lens:35mm`, `lens:"35 mm"` with spaces). Other punctuation and operators ' +
        '(`"`, `*`, `-`, `NEAR`, `OR`) are plain text. Up to 1,000 characters and 32 words; empty matches everything.',
    }),
  ),
  kind: list('Kind: video, audio, image or other', 'video,audio'),
  format: list('Container format (the `format` of an asset)', 'MOV,MXF'),
  videoCodec: list('Video codec', 'prores,h264'),
  audioCodec: list('Audio codec', 'pcm_s24le'),
  resolution: list(
    'Resolution: `SD` (below 1280×720), `HD` (up to UHD), `UHD` (3840 wide or 2160 high and above) or an exact `WIDTHxHEIGHT`',
    'HD,3840x2160',
  ),
  frameRate: list('Frame rate as the exact ratio shown on assets', '24000/1001,25/1'),
  state: list('Processing state: pending, processing, ready or failed', 'ready'),
  location: list('`lake` for assets no edit volume holds, or edit volume ids holding a copy', 'lake'),
  uploadedBy: list('Who uploaded (the `uploadedBy` of an asset)', 'alice'),
  durationMin: Type.Optional(Type.Number({ minimum: 0, description: 'Shortest duration, seconds' })),
  durationMax: Type.Optional(Type.Number({ minimum: 0, description: 'Longest duration, seconds' })),
  sizeMin: Type.Optional(Type.Integer({ minimum: 0, description: 'Smallest size, bytes' })),
  sizeMax: Type.Optional(Type.Integer({ minimum: 0, description: 'Largest size, bytes' })),
  createdFrom: time('Created at or after'),
  createdTo: time('Created at or before (a bare date means the end of that day)'),
  modifiedFrom: time('Modified at or after'),
  modifiedTo: time('Modified at or before (a bare date means the end of that day)'),
  folder: Type.Optional(
    Type.String({ maxLength: 4096, description: 'Only assets in this folder or below it, e.g. `/Day 03`' }),
  ),
  camera: list('Logged camera (upper case; case is ignored)', 'A,B'),
  reel: list('Logged reel or tape name', 'A001'),
  scene: list('Logged scene', '12,12A'),
  take: list('Logged take', '3'),
  circled: Type.Optional(
    Type.Union([Type.Literal('yes'), Type.Literal('no')], {
      description: 'Circled takes only, or the others',
    }),
  ),
  ratingMin: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 5, description: 'Rated at least this many stars' }),
  ),
  sort: Type.Optional(
    Type.Union(
      SEARCH_SORTS.map((s) => Type.Literal(s)),
      { description: 'Column to sort by (default `name`); ties break on id' },
    ),
  ),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(
    Type.String({
      maxLength: 8192,
      description: 'The `nextCursor` of the previous page, with the same query',
    }),
  ),
  facets: Type.Optional(
    Type.Boolean({
      default: true,
      description: 'Compute facet counts; pass false when fetching further pages of the same query',
    }),
  ),
});

const FacetValues = Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() }), {
  description: 'Values with their number of matching assets, most first',
});

export const SearchFacets = Type.Object(Object.fromEntries(FACETS.map((f) => [f, FacetValues])), {
  description:
    'Counts over the current result (every filter and the text applied), only of assets the caller ' +
    'may see. `resolution` uses SD/HD/UHD; `location` counts `lake` (no edit volume copy) and each ' +
    'volume id; `duration` buckets are <1m, 1-10m, 10-60m, >1h; `size` buckets are <100MB, ' +
    '100MB-1GB, 1-10GB, >10GB; `camera`, `reel`, `scene`, `take` count the logged values and `circled` counts ' +
    '`yes` and `no`. Assets without a value (not yet probed, not logged) are not counted in that facet.',
});

export const SearchResponse = Type.Object({
  items: Type.Array(AssetResponse, { description: 'One page; `folder` is each asset’s folder path' }),
  total: Type.Integer({ description: 'Every matching asset the caller may see' }),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  facets: Type.Union([SearchFacets, Type.Null()], { description: 'Null when `facets=false`' }),
});
