import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { rangeReply } from '../../lib/http-range.js';
import type { DerivativeKind } from '../../ports/catalog.js';
import { AssetIdParams } from '../assets/assets.schemas.js';
import { JobAccepted } from '../folders/folders.schemas.js';
import { AudioTrackParams, MetadataQuery, MetadataResponse } from './processing.schemas.js';
import type { ProcessingService } from './processing.service.js';

interface Options {
  processing: ProcessingService;
}

/** Each derivative path, what it serves, and whether a player will ask for byte ranges. */
const DERIVATIVES: Array<{ path: string; kind: DerivativeKind; summary: string; ranges: boolean }> = [
  { path: 'thumbnail', kind: 'thumbnail', summary: 'The thumbnail (JPEG)', ranges: false },
  {
    path: 'proxy',
    kind: 'proxy',
    summary: 'The web-playable proxy (MP4 for video, M4A for audio, JPEG for images); Range supported',
    ranges: true,
  },
  {
    path: 'filmstrip',
    kind: 'filmstrip.vtt',
    summary: 'Filmstrip cues (WebVTT) pointing at filmstrip.jpg beside them',
    ranges: false,
  },
  { path: 'filmstrip.vtt', kind: 'filmstrip.vtt', summary: 'Filmstrip cues (WebVTT)', ranges: false },
  { path: 'filmstrip.jpg', kind: 'filmstrip', summary: 'The filmstrip sprite sheet (JPEG)', ranges: false },
  {
    path: 'waveform',
    kind: 'waveform',
    summary: 'Audio peaks (JSON: min/max pairs in -1..1)',
    ranges: false,
  },
];

export const processingRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { processing }) => {
  const tags = ['processing'];

  app.post(
    '/api/assets/:id/retry',
    {
      schema: {
        tags,
        summary: 'Process an asset again from the probe (after a failure, or to refresh it)',
        params: AssetIdParams,
        response: { 202: JobAccepted },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await processing.retry(request.actor, request.params.id)),
  );

  app.get(
    '/api/assets/:id/metadata',
    {
      schema: {
        tags,
        summary: 'The technical metadata: general, per video and audio stream, image',
        params: AssetIdParams,
        querystring: MetadataQuery,
        response: { 200: MetadataResponse },
      },
    },
    (request) => processing.metadata(request.actor, request.params.id, { raw: request.query.raw }),
  );

  app.get(
    '/api/assets/:id/audio/:track',
    {
      schema: {
        tags,
        summary:
          'One audio track of the proxy on its own (AAC in MP4, 1-based), for choosing or soloing a track; present when the source has several. Range supported',
        params: AudioTrackParams,
      },
    },
    (request: FastifyRequest<{ Params: { id: string; track: number } }>, reply) =>
      sendDerivative(processing, request, reply, `audio.${request.params.track}`, true),
  );

  for (const { path, kind, summary, ranges } of DERIVATIVES) {
    app.get(
      `/api/assets/:id/${path}`,
      { schema: { tags, summary, params: AssetIdParams } },
      (request: FastifyRequest<{ Params: { id: string } }>, reply) =>
        sendDerivative(processing, request, reply, kind, ranges),
    );
  }
};

async function sendDerivative(
  processing: ProcessingService,
  request: FastifyRequest<{ Params: { id: string; track?: number } }>,
  reply: FastifyReply,
  kind: DerivativeKind,
  ranges: boolean,
) {
  const header = ranges ? request.headers.range : undefined;
  const file = await processing.openDerivative(request.actor, request.params.id, kind, header);
  const etag = `"${file.etag}"`;
  reply
    .header('content-type', file.contentType)
    .header('etag', etag)
    // Derivatives are remade under the same URL when the original changes: revalidate.
    .header('cache-control', 'private, no-cache')
    .header('x-content-type-options', 'nosniff');
  if (ranges) reply.header('accept-ranges', 'bytes');
  if (!file.range && request.headers['if-none-match'] === etag) {
    file.stream.destroy();
    return reply.status(304).send();
  }
  const { status, headers } = rangeReply(file.size, file.range);
  return reply.status(status).headers(headers).send(file.stream);
}
