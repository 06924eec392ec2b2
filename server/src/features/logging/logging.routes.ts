import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Invalid } from '../../lib/errors.js';
import { AssetIdParams, CountResponse } from '../assets/assets.schemas.js';
import type { LogImport } from './log-import.js';
import {
  BulkLogBody,
  LogFieldCreateBody,
  LogFieldIdParams,
  LogFieldResponse,
  LogFieldUpdateBody,
  LogImportQuery,
  LogImportResponse,
  LogInputBody,
  LogResponse,
} from './logging.schemas.js';
import type { LoggingService } from './logging.service.js';

interface Options {
  logging: LoggingService;
  logImport: LogImport;
}

/**
 * A CSV body is read whole up to this, so a file past the import's own limit gets its 400
 * with the limit named; past this, Fastify's 413.
 */
const CSV_BODY_LIMIT = 16 * 1024 * 1024;

export const loggingRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { logging, logImport }) => {
  const tags = ['logging'];
  app.addContentTypeParser(
    ['text/csv', 'text/plain', 'application/csv', 'application/vnd.ms-excel'],
    { parseAs: 'buffer', bodyLimit: CSV_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );
  app.get(
    '/api/assets/:id/log',
    {
      schema: {
        tags,
        summary: "An asset's logging fields",
        params: AssetIdParams,
        response: { 200: LogResponse },
      },
    },
    (request) => logging.get(request.actor, request.params.id),
  );
  app.patch(
    '/api/assets/:id/log',
    {
      schema: {
        tags,
        summary: "Change an asset's logging fields",
        params: AssetIdParams,
        body: LogInputBody,
        response: { 200: LogResponse },
      },
    },
    (request) => logging.updateOne(request.actor, request.params.id, request.body),
  );
  app.patch(
    '/api/assets/log',
    {
      schema: {
        tags,
        summary: 'Change the same logging fields on many assets',
        description: 'All or nothing: a missing or hidden asset among the ids is a 404 and nothing changes.',
        body: BulkLogBody,
        response: { 200: CountResponse('updated') },
      },
    },
    (request) => logging.update(request.actor, request.body.ids, request.body.log),
  );
  app.get(
    '/api/log-fields',
    {
      schema: {
        tags,
        summary: "The deployment's custom logging fields",
        response: { 200: Type.Object({ items: Type.Array(LogFieldResponse) }) },
      },
    },
    async (request) => ({ items: await logging.fields(request.actor) }),
  );
  app.post(
    '/api/log-fields',
    {
      schema: {
        tags,
        summary: 'Define a custom logging field (admins)',
        body: LogFieldCreateBody,
        response: { 201: LogFieldResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await logging.createField(request.actor, request.body)),
  );
  app.patch(
    '/api/log-fields/:id',
    {
      schema: {
        tags,
        summary: "Change a custom field's label, choices or place (admins)",
        params: LogFieldIdParams,
        body: LogFieldUpdateBody,
        response: { 200: LogFieldResponse },
      },
    },
    (request) => logging.updateField(request.actor, request.params.id, request.body),
  );
  app.delete(
    '/api/log-fields/:id',
    {
      schema: {
        tags,
        summary: 'Remove a custom field and every value of it (admins)',
        params: LogFieldIdParams,
      },
    },
    async (request, reply) => {
      await logging.deleteField(request.actor, request.params.id);
      return reply.status(204).send();
    },
  );
  const csvRoute = (summary: string) => ({
    schema: {
      tags,
      summary,
      description:
        'The body is the CSV file itself (`Content-Type: text/csv`, UTF-8, at most 4 MiB and 20,000 rows). ' +
        'Its first line names the columns: a clip column (Clip, Clip Name, File Name…) and any of Scene, Take, ' +
        'Circled, Notes, Camera, Reel, Rating. Rows match assets of the folder and the folders below it by ' +
        'name without extension, or by the camera clip id (A001C003).',
      querystring: LogImportQuery,
      response: { 200: LogImportResponse },
    },
  });
  app.post(
    '/api/log-import/preview',
    csvRoute('What a CSV from the script supervisor would change'),
    (request) => logImport.preview(request.actor, request.query.folder, csvBody(request.body)),
  );
  app.post('/api/log-import/apply', csvRoute("Apply a script supervisor's CSV to a folder"), (request) =>
    logImport.apply(request.actor, request.query.folder, csvBody(request.body)),
  );
};

function csvBody(body: unknown): Uint8Array {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  throw new Invalid('Send the CSV file itself as the body, with Content-Type: text/csv.');
}
