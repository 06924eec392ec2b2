import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { VolumeParams } from '../volumes/volumes.schemas.js';
import {
  PrepareBody,
  PrepareResponse,
  PrepareSelectionBody,
  PrepareSelectionResponse,
} from './prepare.schemas.js';
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
  app.post(
    '/api/volumes/:id/prepare-selection',
    {
      schema: {
        tags: ['volumes'],
        summary:
          "Prepare chosen assets for edit: copy them to the volume (verified, folder paths kept), then write their folders' ASC MHL generations and the ALE + FCPXML bins at the volume's root",
        params: VolumeParams,
        body: PrepareSelectionBody,
        response: { 202: PrepareSelectionResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(
          await prepare.requestSelection(
            request.actor,
            request.params.id,
            request.body.ids,
            request.body.name,
          ),
        ),
  );
};
