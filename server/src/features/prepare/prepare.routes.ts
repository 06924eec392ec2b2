import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { volumeJobRoute } from '../volumes/volume-job-route.js';
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
  volumeJobRoute(
    app,
    {
      action: 'prepare-selection',
      summary:
        "Prepare chosen assets for edit: copy them to the volume (verified, folder paths kept), then write their folders' ASC MHL generations and the ALE + FCPXML bins at the volume's root",
      body: PrepareSelectionBody,
      reply: PrepareSelectionResponse,
    },
    (actor, id, body) => prepare.requestSelection(actor, id, body.ids, body.name),
  );
};
