import { Type } from 'typebox';
import { ASSET_SORTS } from '../../ports/catalog.js';
import { LogResponse } from '../logging/logging.schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const AssetResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  folder: Type.String(),
  format: Type.String(),
  kind: Nullable(Type.String()),
  size: Type.Number(),
  state: Type.String({ description: 'pending, processing, ready or failed' }),
  stateReason: Nullable(Type.String()),
  currentJob: Nullable(Type.String()),
  checksums: Type.Object({ xxh64: Nullable(Type.String()), md5: Nullable(Type.String()) }),
  duration: Nullable(Type.Number()),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  frameRate: Nullable(Type.String({ description: 'An exact ratio such as 24000/1001' })),
  videoCodec: Nullable(Type.String()),
  audioCodec: Nullable(Type.String()),
  audioTracks: Nullable(Type.Integer()),
  startTimecode: Nullable(
    Type.String({
      description: "The first frame's source timecode, e.g. 01:00:00:00 (drop-frame 01:00:00;00)",
    }),
  ),
  uploadedBy: Nullable(Type.String()),
  createdAt: Type.String(),
  modifiedAt: Type.String(),
  locations: Type.Array(Type.String(), {
    description: '"lake" plus the id of every edit volume holding a verified copy',
  }),
  trashedAt: Nullable(Type.String()),
  derivatives: Type.Object(
    {
      thumbnail: Nullable(Type.String()),
      proxy: Nullable(Type.String({ description: 'Range requests supported' })),
      filmstrip: Nullable(
        Type.String({ description: 'WebVTT cues pointing at the sprite sheet beside them' }),
      ),
      waveform: Nullable(Type.String({ description: 'Peaks as JSON' })),
      audio: Type.Optional(
        Type.Array(Type.String(), {
          description:
            'Each audio track of the proxy on its own, in order, when the source has several (browsers play only the first track of a file)',
        }),
      ),
      metadata: Nullable(Type.String({ description: 'The normalised technical metadata' })),
    },
    { description: 'Where each derivative is served; null until it exists' },
  ),
  warning: Type.Optional(
    Type.String({
      description:
        'Another file in the folder differs from this name only in case or Unicode form, or the content is not what the name says (a JPEG named .mxf)',
    }),
  ),
  log: LogResponse,
});

export const AssetListQuery = Type.Object({
  folder: Type.String({ default: '/' }),
  sort: Type.Optional(Type.Union(ASSET_SORTS.map((s) => Type.Literal(s)))),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(
    Type.String({ maxLength: 8192, description: 'Where the previous page ended (its nextCursor)' }),
  ),
  offset: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 100_000_000,
      description: 'A page starting at this position instead (a jump far into a folder); not with cursor',
    }),
  ),
});

export const AssetPageResponse = Type.Object({
  items: Type.Array(AssetResponse),
  total: Type.Integer(),
  offset: Nullable(
    Type.Integer({ description: 'The position of the first item, when the page was asked by offset' }),
  ),
  nextCursor: Nullable(Type.String()),
});

export const AssetIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const AssetRenameBody = Type.Object({ name: Type.String() });
export const AssetIdsBody = Type.Object({
  ids: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 10_000 }),
});
export const AssetMoveBody = Type.Object({
  ids: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 10_000 }),
  folder: Type.String(),
});
export const DownloadLinksResponse = Type.Object({
  items: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), url: Type.String(), expiresAt: Type.String() }),
  ),
});
export const CountResponse = (key: string) => Type.Object({ [key]: Type.Integer() });

export const TrashQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'nextCursor of the previous page' })),
});

export const TrashPageResponse = Type.Object({
  items: Type.Array(AssetResponse),
  nextCursor: Nullable(Type.String()),
});
