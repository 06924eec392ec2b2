import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  VolumeCopyBody,
  VolumeFilesQuery,
  VolumeFilesResponse,
  VolumeFolderBody,
  VolumeImportBody,
  VolumeImportResponse,
  VolumeJobsResponse,
  VolumeListResponse,
  VolumeParams,
  VolumeRemoveBody,
  VolumeScanResponse,
} from './volumes.schemas.js';
import type { VolumesService } from './volumes.service.js';

export const volumesRoutes: FastifyPluginAsyncTypebox<{ volumes: VolumesService }> = async (
  app,
  { volumes },
) => {
  const tags = ['volumes'];
  app.get(
    '/api/volumes',
    {
      schema: { tags, summary: 'The edit volumes the caller may use', response: { 200: VolumeListResponse } },
    },
    (request) => ({ items: volumes.list(request.actor) }),
  );
  app.post(
    '/api/volumes/:id/copy',
    {
      schema: {
        tags,
        summary: 'Copy assets to a volume, keeping their folder path; one verified job per asset',
        params: VolumeParams,
        body: VolumeCopyBody,
        response: { 202: VolumeJobsResponse },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await volumes.requestCopy(request.actor, request.params.id, request.body.ids)),
  );
  app.post(
    '/api/volumes/:id/remove',
    {
      schema: {
        tags,
        summary: 'Remove copies from a volume; a file changed on the volume is kept and reported',
        params: VolumeParams,
        body: VolumeRemoveBody,
        response: { 202: VolumeJobsResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(
          await volumes.requestRemove(request.actor, request.params.id, request.body.ids, request.body.force),
        ),
  );
  app.post(
    '/api/volumes/:id/copy-folder',
    {
      schema: {
        tags,
        summary:
          'Copy a folder with the subfolders the caller may see to a volume, structure kept; one verified job per asset',
        params: VolumeParams,
        body: VolumeFolderBody,
        response: { 202: VolumeJobsResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await volumes.requestFolderCopy(request.actor, request.params.id, request.body.folder)),
  );
  app.post(
    '/api/volumes/:id/remove-folder',
    {
      schema: {
        tags,
        summary: "Remove the volume's copies of a folder's assets, with the subfolders the caller may see",
        params: VolumeParams,
        body: VolumeFolderBody,
        response: { 202: VolumeJobsResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(
          await volumes.requestFolderRemove(
            request.actor,
            request.params.id,
            request.body.folder,
            request.body.force,
          ),
        ),
  );
  app.post(
    '/api/volumes/:id/scan',
    {
      schema: {
        tags,
        summary: 'Notice copies deleted or changed on the volume by others',
        params: VolumeParams,
        response: { 200: VolumeScanResponse },
      },
    },
    (request) => volumes.scan(request.actor, request.params.id),
  );
  app.get(
    '/api/volumes/:id/files',
    {
      schema: {
        tags,
        summary: "Browse a volume's files",
        params: VolumeParams,
        querystring: VolumeFilesQuery,
        response: { 200: VolumeFilesResponse },
      },
    },
    (request) => volumes.browse(request.actor, request.params.id, request.query.path),
  );
  app.post(
    '/api/volumes/:id/import',
    {
      schema: {
        tags,
        summary: 'Bring files or folders from a volume into a lake folder as new assets (a job)',
        params: VolumeParams,
        body: VolumeImportBody,
        response: { 202: VolumeImportResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(
          await volumes.requestImport(
            request.actor,
            request.params.id,
            request.body.paths,
            request.body.folder,
          ),
        ),
  );
};
