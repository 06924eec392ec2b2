import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LOOK_BODY_LIMIT, LookBody, LookQuery, LookResponse } from './looks.schemas.js';
import type { LooksService } from './looks.service.js';

export const looksRoutes: FastifyPluginAsyncTypebox<{ looks: LooksService }> = async (app, { looks }) => {
  const tags = ['folders'];
  app.get(
    '/api/folders/look',
    {
      schema: {
        tags,
        summary: "A folder's look (LUT, burn-in): its own and the one its assets get (admins)",
        querystring: LookQuery,
        response: { 200: LookResponse },
      },
    },
    (request) => looks.get(request.actor, request.query.path),
  );
  app.put(
    '/api/folders/look',
    {
      bodyLimit: LOOK_BODY_LIMIT,
      schema: {
        tags,
        summary: "Set a folder's look; its assets' proxies and thumbnails are made again (admins)",
        querystring: LookQuery,
        body: LookBody,
        response: { 200: LookResponse },
      },
    },
    (request) => looks.set(request.actor, request.query.path, request.body),
  );
  app.delete(
    '/api/folders/look',
    {
      schema: {
        tags,
        summary: 'The folder inherits the look of the folder above again (admins)',
        querystring: LookQuery,
        response: { 200: LookResponse },
      },
    },
    (request) => looks.clear(request.actor, request.query.path),
  );
};
