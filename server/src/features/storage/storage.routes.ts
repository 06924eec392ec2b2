import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CleanupActionResponse,
  CleanupBody,
  CleanupQuery,
  CleanupResponse,
  DuplicatesQuery,
  DuplicatesResponse,
  GrowthQuery,
  GrowthResponse,
  OverviewQuery,
  OverviewResponse,
  ResolveDuplicatesBody,
  ResolveDuplicatesResponse,
  RetentionResponse,
  StorageSettingsBody,
} from './storage.schemas.js';
import type { StorageService } from './storage.service.js';
import type { StorageCleanup } from './storage-cleanup.js';

/** The storage page's figures; every answer holds only what the caller may see. */
export const storageRoutes: FastifyPluginAsyncTypebox<{
  storage: StorageService;
  cleanup: StorageCleanup;
}> = async (app, { storage, cleanup }) => {
  const tags = ['storage'];
  app.get(
    '/api/storage',
    {
      schema: {
        tags,
        summary:
          'Space of a folder (recursive), its sub-folders, kinds, formats, volumes, derivatives, trash, cost',
        querystring: OverviewQuery,
        response: { 200: OverviewResponse },
      },
    },
    (request) => storage.overview(request.actor, request.query.folder),
  );
  app.get(
    '/api/storage/growth',
    {
      schema: {
        tags,
        summary: 'The daily figures of the last days',
        querystring: GrowthQuery,
        response: { 200: GrowthResponse },
      },
    },
    (request) => storage.growth(request.actor, request.query.days),
  );
  app.get(
    '/api/storage/duplicates',
    {
      schema: {
        tags,
        summary: 'Live assets with the same xxHash64 and size, grouped',
        querystring: DuplicatesQuery,
        response: { 200: DuplicatesResponse },
      },
    },
    (request) => cleanup.duplicates(request.actor, request.query.limit),
  );
  app.post(
    '/api/storage/duplicates/resolve',
    {
      schema: {
        tags,
        summary: 'Keep one copy per group; the others go to the trash in one audited job',
        body: ResolveDuplicatesBody,
        response: { 202: ResolveDuplicatesResponse },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await cleanup.resolveDuplicates(request.actor, request.body.groups)),
  );
  app.get(
    '/api/storage/cleanup',
    {
      schema: {
        tags,
        summary: 'Clean-up candidates: idle volume copies and folders, old trash, failed assets',
        querystring: CleanupQuery,
        response: { 200: CleanupResponse },
      },
    },
    (request) => cleanup.candidates(request.actor, request.query.idleDays, request.query.trashDays),
  );
  app.post(
    '/api/storage/cleanup',
    {
      schema: {
        tags,
        summary: "One list's action on exactly the chosen items",
        body: CleanupBody,
        response: { 200: CleanupActionResponse },
      },
    },
    (request) => cleanup.act(request.actor, request.body),
  );
  app.get(
    '/api/storage/retention',
    {
      schema: {
        tags,
        summary: 'When trashed originals will be purged, by day',
        response: { 200: RetentionResponse },
      },
    },
    (request) => cleanup.retention(request.actor),
  );
  app.get(
    '/api/storage/settings',
    {
      schema: {
        tags,
        summary: 'Retention, clean-up threshold and prices (admins)',
        response: { 200: StorageSettingsBody },
      },
    },
    (request) => storage.settings(request.actor),
  );
  app.put(
    '/api/storage/settings',
    {
      schema: {
        tags,
        summary: 'Save retention, clean-up threshold and prices (admins)',
        body: StorageSettingsBody,
        response: { 200: StorageSettingsBody },
      },
    },
    (request) => storage.saveSettings(request.actor, request.body),
  );
};
