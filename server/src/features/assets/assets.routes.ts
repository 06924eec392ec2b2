import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DownloadService } from '../downloads/download.service.js';
import { JobAccepted } from '../folders/folders.schemas.js';
import type { TrashService } from '../trash/trash.service.js';
import {
  AssetIdParams,
  AssetIdsBody,
  AssetListQuery,
  AssetMoveBody,
  AssetPageResponse,
  AssetRenameBody,
  AssetResponse,
  CountResponse,
  DownloadLinksResponse,
  TrashPageResponse,
  TrashQuery,
} from './assets.schemas.js';
import type { AssetsService } from './assets.service.js';

interface Options {
  assets: AssetsService;
  trash: TrashService;
  downloads: DownloadService;
}

export const assetsRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { assets, trash, downloads }) => {
  const tags = ['assets'];
  app.get(
    '/api/assets',
    {
      schema: {
        tags,
        summary: 'One page of the assets in a folder',
        querystring: AssetListQuery,
        response: { 200: AssetPageResponse },
      },
    },
    (request) => assets.list(request.actor, request.query),
  );
  app.get(
    '/api/assets/:id',
    { schema: { tags, summary: 'One asset', params: AssetIdParams, response: { 200: AssetResponse } } },
    (request) => assets.get(request.actor, request.params.id),
  );
  app.patch(
    '/api/assets/:id',
    {
      schema: {
        tags,
        summary: 'Rename an asset',
        params: AssetIdParams,
        body: AssetRenameBody,
        response: { 200: AssetResponse },
      },
    },
    (request) => assets.rename(request.actor, request.params.id, request.body.name),
  );
  app.post(
    '/api/assets/move',
    {
      schema: {
        tags,
        summary: 'Move assets to a folder (one job)',
        body: AssetMoveBody,
        response: { 202: JobAccepted },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await assets.requestMove(request.actor, request.body.ids, request.body.folder)),
  );
  app.post(
    '/api/assets/delete',
    {
      schema: {
        tags,
        summary: 'Move assets to the trash',
        body: AssetIdsBody,
        response: { 200: CountResponse('deleted') },
      },
    },
    (request) => trash.trash(request.actor, request.body.ids),
  );
  app.post(
    '/api/assets/restore',
    {
      schema: {
        tags: ['trash'],
        summary: 'Restore assets from the trash',
        body: AssetIdsBody,
        response: { 200: CountResponse('restored') },
      },
    },
    (request) => trash.restore(request.actor, request.body.ids),
  );
  app.get(
    '/api/trash',
    {
      schema: {
        tags: ['trash'],
        summary: 'Assets in the trash, newest first, one page at a time',
        querystring: TrashQuery,
        response: { 200: TrashPageResponse },
      },
    },
    (request) => trash.list(request.actor, request.query),
  );
  app.delete(
    '/api/trash',
    {
      schema: {
        tags: ['trash'],
        summary: 'Empty the trash for good',
        response: { 200: CountResponse('purged') },
      },
    },
    (request) => trash.empty(request.actor),
  );
  app.post(
    '/api/assets/download',
    {
      schema: {
        tags: ['downloads'],
        summary: 'Signed, expiring download URLs',
        body: AssetIdsBody,
        response: { 200: DownloadLinksResponse },
      },
    },
    async (request) => ({
      items: await downloads.links(request.actor, request.body.ids, request.ip),
    }),
  );
};
