import { type TSchema, Type } from 'typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Amount = { assets: Type.Integer(), bytes: Type.Number() };
const FolderPath = Type.String({
  minLength: 1,
  maxLength: 4096,
  description: 'A folder path, `/` for the root',
});
const Id = Type.String({ minLength: 1, maxLength: 200 });

export const OverviewQuery = Type.Object({ folder: Type.Optional(FolderPath) });

export const OverviewResponse = Type.Object({
  folder: Type.Object({ id: Type.String(), path: Type.String(), ...Amount }),
  here: Type.Object(Amount, { description: 'Assets directly in the folder' }),
  children: Type.Array(
    Type.Object({
      id: Type.String(),
      path: Type.String(),
      name: Type.String(),
      hasChildren: Type.Boolean(),
      ...Amount,
    }),
  ),
  kinds: Type.Array(Type.Object({ kind: Type.String(), ...Amount })),
  formats: Type.Array(Type.Object({ format: Type.String(), kind: Type.String(), ...Amount })),
  derived: Type.Object({ ...Amount, kinds: Type.Array(Type.Object({ kind: Type.String(), ...Amount })) }),
  trash: Type.Object(Amount),
  volumes: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      ...Amount,
      free: Nullable(Type.Number()),
      total: Nullable(Type.Number()),
      price: Nullable(Type.Number({ description: 'Per GB-month' })),
      monthlyCost: Nullable(Type.Number()),
    }),
  ),
  cost: Type.Object({
    currency: Type.String(),
    lakePrice: Nullable(Type.Number({ description: 'Per GB-month' })),
    derivedPrice: Nullable(Type.Number({ description: 'Per GB-month' })),
    lake: Nullable(Type.Number()),
    derived: Nullable(Type.Number()),
    total: Nullable(Type.Number()),
  }),
  pendingChanges: Type.Integer(),
});

export const GrowthQuery = Type.Object({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 90 })),
});
export const GrowthResponse = Type.Object({
  days: Type.Array(
    Type.Object({
      day: Type.String(),
      ...Amount,
      trashedBytes: Type.Number(),
      derivedBytes: Type.Number(),
      volumeBytes: Type.Number(),
    }),
  ),
});

const AssetBrief = {
  id: Type.String(),
  name: Type.String(),
  folderPath: Nullable(Type.String()),
  size: Type.Number(),
  kind: Nullable(Type.String()),
  format: Type.String(),
};

export const DuplicatesQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});
export const DuplicatesResponse = Type.Object({
  total: Type.Integer({ description: 'Groups found' }),
  bytes: Type.Number({ description: 'What trashing every copy but one would free' }),
  groups: Type.Array(
    Type.Object({
      checksum: Type.String(),
      size: Type.Number(),
      assets: Type.Array(Type.Object({ ...AssetBrief, seenBy: Type.Array(Type.String()) })),
    }),
  ),
});

export const ResolveDuplicatesBody = Type.Object(
  {
    groups: Type.Array(
      Type.Object(
        { keep: Id, trash: Type.Array(Id, { minItems: 1, maxItems: 1000 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);
export const ResolveDuplicatesResponse = Type.Object({ jobId: Type.String(), trash: Type.Integer() });

export const CleanupQuery = Type.Object({
  idleDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
  trashDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
});
const Listed = <T extends TSchema>(item: T) =>
  Type.Object({ total: Type.Integer(), bytes: Type.Number(), items: Type.Array(item) });
export const CleanupResponse = Type.Object({
  idleDays: Type.Integer(),
  trashDays: Type.Integer(),
  idleCopies: Listed(
    Type.Object({
      ...AssetBrief,
      volumeId: Type.String(),
      volumePath: Type.String(),
      copyBytes: Type.Number(),
      touchedAt: Type.String(),
    }),
  ),
  idleFolders: Listed(
    Type.Object({
      folderId: Type.String(),
      path: Type.String(),
      volumeId: Type.String(),
      ...Amount,
      touchedAt: Type.String(),
    }),
  ),
  oldTrash: Listed(Type.Object({ ...AssetBrief, trashedAt: Type.String() })),
  failed: Listed(Type.Object({ ...AssetBrief, reason: Nullable(Type.String()) })),
});

export const CleanupBody = Type.Object(
  {
    list: Type.Union([
      Type.Literal('idle-copies'),
      Type.Literal('idle-folders'),
      Type.Literal('old-trash'),
      Type.Literal('failed'),
    ]),
    ids: Type.Array(Id, { minItems: 1, maxItems: 10_000 }),
    volumeId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export const CleanupActionResponse = Type.Object({
  list: Type.String(),
  jobs: Type.Optional(Type.Array(Type.Object({ assetId: Type.String(), jobId: Type.String() }))),
  purged: Type.Optional(Type.Integer()),
  deleted: Type.Optional(Type.Integer()),
});

export const RetentionResponse = Type.Object({
  retentionDays: Type.Integer(),
  upcoming: Type.Array(Type.Object({ day: Type.String(), ...Amount })),
});

const Price = Nullable(Type.Number({ minimum: 0, maximum: 1_000_000 }));
export const StorageSettingsBody = Type.Object(
  {
    retentionDays: Type.Integer({
      minimum: 0,
      maximum: 3650,
      description: 'Purge trashed originals after this many days; 0 never',
    }),
    idleDays: Type.Integer({ minimum: 0, maximum: 3650 }),
    prices: Type.Object(
      { lake: Price, derived: Price, volumes: Type.Record(Type.String({ maxLength: 200 }), Price) },
      { additionalProperties: false },
    ),
    currency: Type.String({ minLength: 3, maxLength: 3 }),
  },
  { additionalProperties: false },
);
