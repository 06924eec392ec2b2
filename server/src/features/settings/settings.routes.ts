import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SettingsResponse, SettingsUpdateBody } from './settings.schemas.js';
import type { SettingsService } from './settings.service.js';

/** The deployment's settings: the lake and the edit volumes (admins). */
export const settingsRoutes: FastifyPluginAsyncTypebox<{ settings: SettingsService }> = async (
  app,
  { settings },
) => {
  const tags = ['settings'];
  // The page shows the admin where the lake and volumes are: the one answer that names them.
  const config = { showsServerPaths: true };
  app.get(
    '/api/settings',
    {
      config,
      schema: {
        tags,
        summary: 'The lake and the edit volumes in effect; secrets are never shown (admins)',
        response: { 200: SettingsResponse },
      },
    },
    (request) => settings.get(request.actor),
  );
  app.put(
    '/api/settings',
    {
      config,
      schema: {
        tags,
        summary: 'Change the lake and/or the edit volumes; checked, saved and applied at once (admins)',
        description:
          'Names are trimmed. A malformed value answers 400, a lake or volume that cannot be reached or written 422; ' +
          'either way nothing changes. `details.field` names the field at fault. A new lake is re-indexed.',
        body: SettingsUpdateBody,
        response: { 200: SettingsResponse },
      },
    },
    (request) => settings.update(request.actor, request.body),
  );
};
