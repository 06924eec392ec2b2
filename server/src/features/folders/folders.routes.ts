import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  FolderCreateBody,
  FolderDeleteResponse,
  FolderGroupsBody,
  FolderListingResponse,
  FolderMoveBody,
  FolderQuery,
  FolderResponse,
  JobAccepted,
} from './folders.schemas.js';
import type { FoldersService } from './folders.service.js';

export const foldersRoutes: FastifyPluginAsyncTypebox<{ folders: FoldersService }> = async (
  app,
  { folders },
) => {
  const tags = ['folders'];
  app.get(
    '/api/folders',
    {
      schema: {
        tags,
        summary: 'A folder and its child folders',
        querystring: FolderQuery,
        response: { 200: FolderListingResponse },
      },
    },
    (request) => folders.get(request.actor, request.query.path),
  );
  app.post(
    '/api/folders',
    {
      schema: { tags, summary: 'Create a folder', body: FolderCreateBody, response: { 201: FolderResponse } },
    },
    async (request, reply) => reply.status(201).send(await folders.create(request.actor, request.body.path)),
  );
  app.patch(
    '/api/folders',
    {
      schema: {
        tags,
        summary: 'Rename or move a folder (a job)',
        body: FolderMoveBody,
        response: { 202: JobAccepted },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await folders.requestMove(request.actor, request.body.path, request.body.newPath)),
  );
  app.delete(
    '/api/folders',
    {
      schema: {
        tags,
        summary: 'Delete a folder; its assets go to the trash',
        querystring: FolderQuery,
        response: { 200: FolderDeleteResponse },
      },
    },
    (request) => folders.delete(request.actor, request.query.path),
  );
  app.put(
    '/api/folders/groups',
    {
      schema: {
        tags,
        summary: "Set a folder's groups (admins): on everything in it, or only on this folder",
        body: FolderGroupsBody,
        response: { 200: FolderResponse },
      },
    },
    (request) =>
      folders.setGroups(
        request.actor,
        request.body.path,
        request.body.groups,
        request.body.scope ?? 'subtree',
      ),
  );
};
