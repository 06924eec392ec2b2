import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { VolumeParams } from '../volumes/volumes.schemas.js';
import { PrepareBody, PrepareResponse } from './prepare.schemas.js';
import type { PrepareService } from './prepare.service.js';

export const prepareRoutes: FastifyPluginAsyncTypebox<{ prepare: PrepareService }> = async (
  app,
  { prepare },
) => {
  app.post(
    '/api/volumes/:id/prepare',
    {
      schema: {
        tags: ['volumes'],
        summary:
          'Prepare a folder for edit: copy it to the volume (verified, structure kept), then write the ASC MHL generation and the ALE + FCPXML bins beside it',
        params: VolumeParams,
        body: PrepareBody,
        response: { 202: PrepareResponse },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await prepare.request(request.actor, request.params.id, request.body.folder)),
  );
};
