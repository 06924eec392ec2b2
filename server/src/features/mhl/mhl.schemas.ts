import { type TSchema, Type } from 'typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const FolderPath = Type.String({
  minLength: 1,
  maxLength: 4096,
  description: 'A folder path, `/` for the root',
});

export const FolderQuery = Type.Object({ folder: FolderPath });

export const SelectionBody = Type.Object({
  assetIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 10_000 }),
});

export const AssetMhlResponse = Type.Object({
  verdict: Nullable(
    Type.Union(
      [
        Type.Literal('verified'),
        Type.Literal('mismatch'),
        Type.Literal('unlisted'),
        Type.Literal('unverifiable'),
      ],
      {
        description:
          'Against the ASC MHL history of the card the asset is in: `unlisted` is not in the list; null when no history covers it',
      },
    ),
  ),
  card: Nullable(Type.String({ description: 'The folder holding the history' })),
  formats: Type.Array(Type.String(), { description: 'Hash formats compared' }),
  reason: Nullable(Type.String()),
  checkedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const CardResponse = Type.Object({
  folder: Type.String(),
  checkedAt: Type.String({ format: 'date-time' }),
  generations: Type.Integer(),
  verified: Type.Integer(),
  mismatched: Type.Integer(),
  unlisted: Type.Integer({ description: 'Files present that the history does not list' }),
  unverifiable: Type.Integer(),
  missing: Type.Array(Type.String(), { description: 'Files the history lists that the lake does not hold' }),
  problems: Type.Array(Type.String()),
});
