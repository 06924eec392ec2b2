import { Type } from 'typebox';
import { NOTE_MAX_LENGTH } from './notes.service.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

// A day of 120 fps is 10,368,000 frames; nothing longer is a clip.
const Frame = Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 });
const Timecode = Type.String({ maxLength: 16, description: 'HH:MM:SS:FF, or HH:MM:SS;FF when drop-frame' });

const Position = {
  frame: Type.Optional(Nullable({ ...Frame, description: 'Frames from the first frame of the clip' })),
  endFrame: Type.Optional(Nullable({ ...Frame, description: 'The frame after the range (exclusive)' })),
  timecode: Type.Optional(
    Nullable({ ...Timecode, description: "Where the note sits, in the clip's source timecode" }),
  ),
  endTimecode: Type.Optional(Nullable({ ...Timecode, description: 'Where its range ends (exclusive)' })),
};

export const NoteCreateBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: NOTE_MAX_LENGTH * 2 }), ...Position },
  { additionalProperties: false },
);

export const NoteUpdateBody = Type.Object(
  { text: Type.Optional(Type.String({ minLength: 1, maxLength: NOTE_MAX_LENGTH * 2 })), ...Position },
  { additionalProperties: false },
);

export const NoteIdParams = Type.Object({ noteId: Type.String({ format: 'uuid' }) });

export const NoteResponse = Type.Object({
  id: Type.String(),
  assetId: Type.String(),
  text: Type.String(),
  frame: Nullable(Type.Integer()),
  endFrame: Nullable(Type.Integer()),
  timecode: Nullable(Type.String()),
  endTimecode: Nullable(Type.String()),
  seconds: Nullable(Type.Number()),
  endSeconds: Nullable(Type.Number()),
  author: Type.Object({ id: Nullable(Type.String()), name: Type.String() }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  canEdit: Type.Boolean({ description: 'The caller wrote it, or is an admin' }),
});

export const NotesResponse = Type.Object({
  timing: Nullable(
    Type.Object({
      rate: Type.String({ description: 'Exact frame rate, e.g. 30000/1001' }),
      dropFrame: Type.Boolean(),
      startTimecode: Type.String(),
      frames: Nullable(Type.Integer()),
    }),
  ),
  notes: Type.Array(NoteResponse),
});
