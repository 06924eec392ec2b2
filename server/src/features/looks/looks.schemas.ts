import { Type } from 'typebox';
import { CUBE_MAX_BYTES } from './cube-lut.js';

export const LookQuery = Type.Object({ path: Type.String({ description: 'The folder, e.g. `/Day 01`' }) });

const BurnIn = Type.Object(
  {
    clipName: Type.Boolean({ description: "The asset's name, top left" }),
    timecode: Type.Boolean({ description: 'The source timecode of each frame, bottom left (video)' }),
    frameCounter: Type.Boolean({ description: 'The frame number from 0, bottom right (video)' }),
  },
  { additionalProperties: false },
);

const LookSummary = Type.Object({
  lut: Type.Union([
    Type.Object({
      name: Type.String(),
      dimensions: Type.Union([Type.Literal(1), Type.Literal(3)]),
      size: Type.Integer({ description: 'Points per axis (3D) or entries (1D)' }),
    }),
    Type.Null(),
  ]),
  burnIn: BurnIn,
  updatedAt: Type.String(),
});

export const LookResponse = Type.Object({
  path: Type.String(),
  own: Type.Union([LookSummary, Type.Null()], { description: 'Set on this folder; null when it inherits' }),
  effective: Type.Union([Type.Intersect([LookSummary, Type.Object({ from: Type.String() })]), Type.Null()], {
    description: "What the folder's assets get, and the folder it comes from",
  }),
  remade: Type.Optional(
    Type.Integer({ description: 'Assets whose proxies and thumbnails are being made again' }),
  ),
});

export const LookBody = Type.Object(
  {
    lut: Type.Optional(
      Type.Union(
        [
          Type.Object(
            {
              name: Type.String({
                minLength: 1,
                maxLength: 200,
                description: 'The file name, shown to people',
              }),
              cube: Type.String({ maxLength: CUBE_MAX_BYTES, description: 'The `.cube` file (1D or 3D)' }),
            },
            { additionalProperties: false },
          ),
          Type.Null(),
        ],
        { description: 'A new LUT, null for none; left out keeps the current one' },
      ),
    ),
    burnIn: BurnIn,
  },
  { additionalProperties: false },
);

/** A JSON body holding the largest LUT, with room for escaping. */
export const LOOK_BODY_LIMIT = 2 * CUBE_MAX_BYTES;
