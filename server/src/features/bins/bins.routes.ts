import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { attachmentDisposition } from '../../lib/content-disposition.js';
import { BinFolderQuery, BinSelectionBody } from './bins.schemas.js';
import type { BinFile, BinsService } from './bins.service.js';

interface Options {
  bins: BinsService;
}

export const binsRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { bins }) => {
  const tags = ['bins'];

  app.get(
    '/api/bins',
    {
      schema: {
        tags,
        summary: 'A folder as a bin (ALE, FCPXML or CSV) of the assets the caller may see',
        querystring: BinFolderQuery,
      },
    },
    async (request, reply) => {
      const { folder, recursive, format } = request.query;
      return send(reply, await bins.export(request.actor, { folder, recursive }, format));
    },
  );

  app.post(
    '/api/bins',
    {
      schema: {
        tags,
        summary: 'Chosen assets as a bin (ALE, FCPXML or CSV); any asset not found makes it 404',
        body: BinSelectionBody,
      },
    },
    async (request, reply) =>
      send(reply, await bins.export(request.actor, { ids: request.body.ids }, request.body.format)),
  );
};

function send(reply: FastifyReply, file: BinFile) {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', attachmentDisposition(file.fileName))
    .header('cache-control', 'private, no-store')
    .send(file.body);
}
