import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AssetIdParams } from '../assets/assets.schemas.js';
import {
  NoteCreateBody,
  NoteIdParams,
  NoteResponse,
  NotesResponse,
  NoteUpdateBody,
} from './notes.schemas.js';
import type { NotesService } from './notes.service.js';

interface Options {
  notes: NotesService;
}

export const notesRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { notes }) => {
  const tags = ['notes'];

  app.get(
    '/api/assets/:id/notes',
    {
      schema: {
        tags,
        summary: "An asset's notes: those at a timecode in timeline order, then the others",
        params: AssetIdParams,
        response: { 200: NotesResponse },
      },
    },
    (request) => notes.list(request.actor, request.params.id),
  );

  app.post(
    '/api/assets/:id/notes',
    {
      schema: {
        tags,
        summary: 'Add a note, optionally at a frame or timecode, or over a range',
        params: AssetIdParams,
        body: NoteCreateBody,
        response: { 201: NoteResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await notes.add(request.actor, request.params.id, request.body)),
  );

  app.patch(
    '/api/notes/:noteId',
    {
      schema: {
        tags,
        summary: 'Change a note (its author or an admin); frame null takes it off the timeline',
        params: NoteIdParams,
        body: NoteUpdateBody,
        response: { 200: NoteResponse },
      },
    },
    (request) => notes.update(request.actor, request.params.noteId, request.body),
  );

  app.delete(
    '/api/notes/:noteId',
    {
      schema: {
        tags,
        summary: 'Delete a note (its author or an admin)',
        params: NoteIdParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await notes.remove(request.actor, request.params.noteId);
      return reply.status(204).send(null);
    },
  );
};
