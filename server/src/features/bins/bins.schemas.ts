import { Type } from 'typebox';

export const BinFormatSchema = Type.Union(
  [Type.Literal('ale'), Type.Literal('fcpxml'), Type.Literal('csv')],
  {
    description:
      'ale: Avid Media Composer; fcpxml: Final Cut Pro, Premiere Pro, DaVinci Resolve; csv: spreadsheets',
  },
);

export const BinFolderQuery = Type.Object({
  folder: Type.String({ maxLength: 4096, description: 'The folder path, e.g. /Day 01' }),
  recursive: Type.Optional(Type.Boolean({ default: false, description: 'Also the folders below it' })),
  format: BinFormatSchema,
});

export const BinSelectionBody = Type.Object(
  {
    ids: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 20_000 }),
    format: BinFormatSchema,
  },
  { additionalProperties: false },
);
