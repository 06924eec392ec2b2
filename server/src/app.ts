import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { assetsRoutes } from './features/assets/assets.routes.js';
import { auditRoutes } from './features/audit/audit.routes.js';
import { authRoutes } from './features/auth/auth.routes.js';
import { binsRoutes } from './features/bins/bins.routes.js';
import { downloadsRoutes } from './features/downloads/downloads.routes.js';
import { eventsRoutes } from './features/events/events.routes.js';
import { foldersRoutes } from './features/folders/folders.routes.js';
import { jobsRoutes } from './features/jobs/jobs.routes.js';
import { lakeEventsRoutes } from './features/lake-events/lake-events.routes.js';
import { LakeEventsService } from './features/lake-events/lake-events.service.js';
import { loggingRoutes } from './features/logging/logging.routes.js';
import { looksRoutes } from './features/looks/looks.routes.js';
import { mhlRoutes } from './features/mhl/mhl.routes.js';
import { notesRoutes } from './features/notes/notes.routes.js';
import { prepareRoutes } from './features/prepare/prepare.routes.js';
import { processingRoutes } from './features/processing/processing.routes.js';
import { searchRoutes } from './features/search/search.routes.js';
import { sequencesRoutes } from './features/sequences/sequences.routes.js';
import { settingsRoutes } from './features/settings/settings.routes.js';
import { storageRoutes } from './features/storage/storage.routes.js';
import { systemRoutes } from './features/system/system.routes.js';
import { uploadsRoutes } from './features/uploads/uploads.routes.js';
import { usersRoutes } from './features/users/users.routes.js';
import { volumesRoutes } from './features/volumes/volumes.routes.js';
import { actorPlugin } from './plugins/actor.js';
import { errorsPlugin } from './plugins/errors.js';
import { serializeRequest } from './plugins/log-redaction.js';
import { metricsPlugin } from './plugins/metrics.js';
import { openapiPlugin } from './plugins/openapi.js';
import { RequestLog } from './plugins/request-log.js';
import { securityHeadersPlugin } from './plugins/security-headers.js';
import { serverPathsPlugin } from './plugins/server-paths.js';
import { typedBodies } from './plugins/validation.js';
import { webPlugin } from './plugins/web.js';
import type { Dailies } from './wiring.js';

/** The HTTP application: tests call `app.inject()`; only main.ts listens. */
export async function buildApp(
  dailies: Dailies,
  options: {
    logger?: FastifyServerOptions['logger'];
    /** The process's pino logger (serve): request lines go where the rest of its log goes. */
    loggerInstance?: FastifyBaseLogger;
    eventsHeartbeatMs?: number;
  } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance.child({}, { serializers: { req: serializeRequest } }) }
      : { logger: withRedaction(options.logger ?? false) }),
    logController: new RequestLog(),
    // Large bodies arrive through tus, never as JSON.
    bodyLimit: 4 * 1024 * 1024,
    // Signed download tokens travel in the path.
    routerOptions: { maxParamLength: 2048 },
    genReqId: () => crypto.randomUUID(),
    schemaController: { compilersFactory: { buildValidator: typedBodies() } },
    trustProxy: dailies.config.trustProxy,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const { config } = dailies;
  // The server's own directories, named instead of shown in any answer (read per answer: the
  // lake may be swapped on the settings page).
  const serverPaths = () => [
    { path: dailies.lake.describe(), name: 'lake' },
    { path: config.lake, name: 'lake' },
    { path: config.derived, name: 'derivatives' },
    { path: config.workDir, name: 'work' },
    { path: config.webDir, name: 'web' },
    ...config.volumes.map((volume) => ({ path: volume.path, name: `volume ${volume.name}` })),
    { path: config.dataDir, name: 'data' },
  ];
  await app.register(errorsPlugin, { serverPaths });
  await app.register(serverPathsPlugin, { serverPaths });
  await app.register(securityHeadersPlugin);
  // Before every route, so each one is seen (routeTable) and guarded.
  await app.register(actorPlugin, {
    authenticateSession: (token) => dailies.auth.authenticateSession(token),
    authenticateToken: (token) => dailies.auth.authenticateToken(token),
  });
  await app.register(openapiPlugin);
  await app.register(metricsPlugin, { registry: dailies.metrics, token: dailies.config.metricsToken });

  await app.register(systemRoutes, { dailies });
  await app.register(lakeEventsRoutes, {
    token: config.lakeEventsToken,
    lakeEvents: new LakeEventsService({
      indexing: dailies.indexing,
      lake: dailies.lake,
      currentLake: () => dailies.settings.current.lake,
      intents: dailies.intents,
    }),
  });
  await app.register(foldersRoutes, { folders: dailies.folders });
  await app.register(looksRoutes, { looks: dailies.looks });
  await app.register(assetsRoutes, {
    assets: dailies.assets,
    trash: dailies.trash,
    downloads: dailies.downloads,
  });
  await app.register(downloadsRoutes, { downloads: dailies.downloads });
  await app.register(jobsRoutes, { jobs: dailies.jobs });
  await app.register(authRoutes, {
    auth: dailies.auth,
    tokens: dailies.tokens,
    twoFactor: dailies.twoFactor,
    oidc: dailies.oidc,
  });
  await app.register(usersRoutes, { users: dailies.users, twoFactor: dailies.twoFactor });
  await app.register(auditRoutes, { audit: dailies.audit });
  await app.register(uploadsRoutes, { uploads: dailies.uploads, maxBytes: config.uploadMaxBytes });
  await app.register(volumesRoutes, { volumes: dailies.volumes });
  await app.register(searchRoutes, { search: dailies.search });
  await app.register(loggingRoutes, { logging: dailies.logging, logImport: dailies.logImport });
  await app.register(settingsRoutes, { settings: dailies.settings });
  await app.register(processingRoutes, { processing: dailies.processing });
  await app.register(sequencesRoutes, { sequences: dailies.sequences });
  await app.register(storageRoutes, { storage: dailies.storage, cleanup: dailies.cleanup });
  await app.register(notesRoutes, { notes: dailies.notes });
  await app.register(binsRoutes, { bins: dailies.bins });
  await app.register(mhlRoutes, { mhl: dailies.mhl });
  await app.register(prepareRoutes, { prepare: dailies.prepare });
  await app.register(eventsRoutes, {
    events: dailies.liveEvents,
    heartbeatMs: options.eventsHeartbeatMs,
    maxPerUser: config.eventStreamsPerUser,
  });
  if (existsSync(join(dailies.config.webDir, 'index.html'))) {
    await app.register(webPlugin, { webDir: dailies.config.webDir });
  }
  await app.ready();
  return app;
}

/** Every request logged goes through the redacting serializer (no download token, no OIDC code). */
function withRedaction(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return logger;
  const base = logger === true ? {} : logger;
  return { ...base, serializers: { ...base.serializers, req: serializeRequest } };
}
