import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { attachmentDisposition } from '../../lib/content-disposition.js';
import { AssetIdParams } from '../assets/assets.schemas.js';
import { AssetMhlResponse, CardResponse, FolderQuery, SelectionBody } from './mhl.schemas.js';
import type { MhlService } from './mhl.service.js';
import type { MhlFile } from './mhl-download.js';

interface Options {
  mhl: MhlService;
}

export const mhlRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { mhl }) => {
  const tags = ['mhl'];

  app.get(
    '/api/assets/:id/mhl',
    {
      schema: {
        tags,
        summary: "The asset's verdict against its card's ASC MHL history",
        params: AssetIdParams,
        response: { 200: AssetMhlResponse },
      },
    },
    (request) => mhl.assetCheck(request.actor, request.params.id),
  );

  app.get(
    '/api/mhl/card',
    {
      schema: {
        tags,
        summary: "A card's last verification against its ASC MHL history (404 when none)",
        querystring: FolderQuery,
        response: { 200: CardResponse },
      },
    },
    (request) => mhl.card(request.actor, request.query.folder),
  );

  app.get(
    '/api/mhl/folder',
    {
      schema: {
        tags,
        summary: 'Download an ASC MHL file of a folder and everything below it you can see',
        querystring: FolderQuery,
        produces: ['application/xml'],
      },
    },
    async (request, reply) => send(reply, await mhl.folderMhl(request.actor, request.query.folder)),
  );

  app.post(
    '/api/mhl/selection',
    {
      schema: {
        tags,
        summary: 'Download an ASC MHL file of a selection of assets',
        body: SelectionBody,
        produces: ['application/xml'],
      },
    },
    async (request, reply) => send(reply, await mhl.selectionMhl(request.actor, request.body.assetIds)),
  );
};

function send(reply: FastifyReply, file: MhlFile) {
  return reply
    .header('content-type', 'application/xml; charset=utf-8')
    .header('content-disposition', attachmentDisposition(file.fileName))
    .header('cache-control', 'no-store')
    .send(file.body);
}
