import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AssetIdParams, DownloadLinksResponse } from '../assets/assets.schemas.js';
import { FrameDownloadBody, SequenceRateBody, SequenceResponse } from './sequences.schemas.js';
import type { SequencesService } from './sequences.service.js';

/** An image sequence's range, gaps, frames and frame rate; links to single frames. */
export const sequencesRoutes: FastifyPluginAsyncTypebox<{ sequences: SequencesService }> = async (
  app,
  { sequences },
) => {
  const tags = ['sequences'];
  app.get(
    '/api/assets/:id/sequence',
    {
      schema: {
        tags,
        summary: "An image sequence's frame range, missing frames, frames and frame rate",
        params: AssetIdParams,
        response: { 200: SequenceResponse },
      },
    },
    (request) => sequences.describe(request.actor, request.params.id),
  );
  app.put(
    '/api/assets/:id/sequence',
    {
      schema: {
        tags,
        summary: 'Choose the frame rate a sequence plays at (its derivatives are made again)',
        params: AssetIdParams,
        body: SequenceRateBody,
        response: { 200: SequenceResponse },
      },
    },
    (request) => sequences.setFrameRate(request.actor, request.params.id, request.body.frameRate),
  );
  app.post(
    '/api/assets/:id/frames/download',
    {
      schema: {
        tags: ['downloads'],
        summary: 'Signed, expiring download URLs of single frames of an image sequence, by frame number',
        params: AssetIdParams,
        body: FrameDownloadBody,
        response: { 200: DownloadLinksResponse },
      },
    },
    async (request) => ({
      items: await sequences.frameLinks(request.actor, request.params.id, request.body.frames, request.ip),
    }),
  );
};
