import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { volumeJobRoute } from './volume-job-route.js';
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
  volumeJobRoute(
    app,
    {
      action: 'copy',
      summary: 'Copy assets to a volume, keeping their folder path; one verified job per asset',
      body: VolumeCopyBody,
      reply: VolumeJobsResponse,
    },
    (actor, id, body) => volumes.requestCopy(actor, id, body.ids),
  );
  volumeJobRoute(
    app,
    {
      action: 'remove',
      summary: 'Remove copies from a volume; a file changed on the volume is kept and reported',
      body: VolumeRemoveBody,
      reply: VolumeJobsResponse,
    },
    (actor, id, body) => volumes.requestRemove(actor, id, body.ids, body.force),
  );
  volumeJobRoute(
    app,
    {
      action: 'copy-folder',
      summary:
        'Copy a folder with the subfolders the caller may see to a volume, structure kept; one verified job per asset',
      body: VolumeFolderBody,
      reply: VolumeJobsResponse,
    },
    (actor, id, body) => volumes.requestFolderCopy(actor, id, body.folder),
  );
  volumeJobRoute(
    app,
    {
      action: 'remove-folder',
      summary: "Remove the volume's copies of a folder's assets, with the subfolders the caller may see",
      body: VolumeFolderBody,
      reply: VolumeJobsResponse,
    },
    (actor, id, body) => volumes.requestFolderRemove(actor, id, body.folder, body.force),
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
  volumeJobRoute(
    app,
    {
      action: 'import',
      summary: 'Bring files or folders from a volume into a lake folder as new assets (a job)',
      body: VolumeImportBody,
      reply: VolumeImportResponse,
    },
    (actor, id, body) => volumes.requestImport(actor, id, body.paths, body.folder),
  );
};
