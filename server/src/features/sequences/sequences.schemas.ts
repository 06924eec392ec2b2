import { Type } from 'typebox';

export const SequenceResponse = Type.Object({
  assetId: Type.String(),
  first: Type.Integer(),
  last: Type.Integer(),
  frameCount: Type.Integer(),
  span: Type.Integer(),
  missing: Type.Array(Type.Tuple([Type.Integer(), Type.Integer()])),
  padding: Type.Integer(),
  frameRate: Type.String(),
  chosenFrameRate: Type.Union([Type.String(), Type.Null()]),
  frames: Type.Array(Type.Object({ number: Type.Integer(), name: Type.String(), size: Type.Integer() })),
});

export const SequenceRateBody = Type.Object({
  /** `24`, `25/1`, `24000/1001`; null: the default (24). */
  frameRate: Type.Union([Type.String({ maxLength: 32 }), Type.Null()]),
});

export const FrameDownloadBody = Type.Object({
  frames: Type.Array(Type.Integer({ minimum: 0, maximum: 999_999_999 }), { minItems: 1, maxItems: 10_000 }),
});
