import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const Code = (what: string) =>
  Nullable(
    Type.String({
      maxLength: 256,
      description: `The ${what}: trimmed and stored in upper case; empty or null clears it`,
    }),
  );

/** An asset's logging fields; the bin exports (ALE, FCPXML) read these names. */
export const LogResponse = Type.Object({
  camera: Nullable(Type.String()),
  reel: Nullable(Type.String()),
  scene: Nullable(Type.String()),
  take: Nullable(Type.String()),
  circled: Type.Boolean(),
  rating: Nullable(Type.Integer({ minimum: 0, maximum: 5 })),
  description: Nullable(Type.String()),
  custom: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
    description: 'Custom field key → value (fields nobody filled are left out)',
  }),
  automatic: Type.Array(Type.String(), {
    description:
      'Fields whose value the media gave (file name or metadata); a person typing one takes it over',
  }),
});

export const LogInputBody = Type.Object(
  {
    camera: Type.Optional(Code('camera')),
    reel: Type.Optional(Code('reel or tape name')),
    scene: Type.Optional(Code('scene')),
    take: Type.Optional(Code('take')),
    circled: Type.Optional(Type.Boolean()),
    rating: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 5 }))),
    description: Type.Optional(Nullable(Type.String({ maxLength: 20_000 }))),
    custom: Type.Optional(
      Type.Record(
        Type.String({ maxLength: 32 }),
        Nullable(Type.Union([Type.String({ maxLength: 2000 }), Type.Number()])),
        {
          maxProperties: 50,
          description: 'Custom field key → value; null clears it',
        },
      ),
    ),
  },
  { additionalProperties: false, description: 'Each field present is set; the others stay as they are' },
);

export const BulkLogBody = Type.Object({
  ids: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 10_000 }),
  log: LogInputBody,
});

export const LogFieldResponse = Type.Object({
  id: Type.String(),
  key: Type.String(),
  label: Type.String(),
  kind: Type.Union([Type.Literal('text'), Type.Literal('number'), Type.Literal('choice')]),
  choices: Type.Array(Type.String()),
  position: Type.Integer(),
});

export const LogFieldCreateBody = Type.Object(
  {
    key: Type.String({ maxLength: 64, description: 'a–z, 0–9 and _, starting with a letter; never changes' }),
    label: Type.String({ maxLength: 256 }),
    kind: Type.Union([Type.Literal('text'), Type.Literal('number'), Type.Literal('choice')]),
    choices: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);

export const LogFieldUpdateBody = Type.Object(
  {
    label: Type.Optional(Type.String({ maxLength: 256 })),
    choices: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 100 })),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  },
  { additionalProperties: false },
);

export const LogFieldIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const LogImportQuery = Type.Object({ folder: Type.String({ maxLength: 4096 }) });

const ImportAsset = Type.Object({ id: Type.String(), name: Type.String(), folder: Type.String() });

export const LogImportResponse = Type.Object({
  folder: Type.String(),
  columns: Type.Record(Type.String(), Type.String(), {
    description:
      'Field (clip, scene, take, circled, notes, camera, reel, rating) → the header it was read from',
  }),
  rows: Type.Integer({ description: 'Rows in the file below the header' }),
  matched: Type.Array(
    Type.Object({
      row: Type.Integer(),
      clip: Type.String(),
      assets: Type.Array(ImportAsset),
      values: Type.Object({
        scene: Type.Optional(Nullable(Type.String())),
        take: Type.Optional(Nullable(Type.String())),
        circled: Type.Optional(Type.Boolean()),
        description: Type.Optional(Nullable(Type.String())),
        camera: Type.Optional(Nullable(Type.String())),
        reel: Type.Optional(Nullable(Type.String())),
        rating: Type.Optional(Nullable(Type.Integer())),
      }),
      problems: Type.Array(Type.String()),
    }),
  ),
  unmatched: Type.Array(Type.Object({ row: Type.Integer(), clip: Type.String() })),
  assetsWithoutRow: Type.Array(ImportAsset),
  updated: Type.Optional(Type.Integer({ description: 'Assets whose log the import changed (apply only)' })),
});
