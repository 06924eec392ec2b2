import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { volumeJobRoute } from '../volumes/volume-job-route.js';
import { PrepareBody, PrepareResponse } from './prepare.schemas.js';
import type { PrepareService } from './prepare.service.js';

export const prepareRoutes: FastifyPluginAsyncTypebox<{ prepare: PrepareService }> = async (
  app,
  { prepare },
) => {
  volumeJobRoute(
    app,
    {
      action: 'prepare',
      summary:
        'Prepare a folder for edit: copy it to the volume (verified, structure kept), then write the ASC MHL generation and the ALE + FCPXML bins beside it',
      body: PrepareBody,
      reply: PrepareResponse,
    },
    (actor, id, body) => prepare.request(actor, id, body.folder),
  );
};
