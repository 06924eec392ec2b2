import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** The OpenAPI document is generated from the routes' TypeBox schemas. */
export const openapiPlugin = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Dailies API',
        version: '0.1.0',
        description:
          'Media Asset Preparation System. Errors are `{ error, message, details?, requestId }`. ' +
          'Sign in with POST /api/auth/login (a session cookie; send the csrfToken from GET /api/me as ' +
          'X-Dailies-CSRF on every change) or send a personal API token as "Authorization: Bearer dly_…". ' +
          'Without either, /api answers 401, except the routes marked public. ' +
          'Uploads use the tus 1.0 protocol at /api/uploads (creation, termination, expiration; Upload-Metadata: filename, folder).',
      },
      tags: [
        { name: 'folders' },
        { name: 'assets' },
        { name: 'trash' },
        { name: 'downloads' },
        { name: 'jobs' },
        { name: 'events' },
        { name: 'processing' },
        { name: 'system' },
        { name: 'auth' },
        { name: 'users' },
        { name: 'audit' },
      ],
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'dailies_session',
            description:
              'Set by POST /api/auth/login. Changes (POST, PUT, PATCH, DELETE) also need the header ' +
              'X-Dailies-CSRF with the csrfToken from GET /api/me, unless a browser marks them Sec-Fetch-Site: same-origin.',
          },
          token: {
            type: 'http',
            scheme: 'bearer',
            description: 'A personal API token (dly_…) from POST /api/tokens; no CSRF header needed.',
          },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    // Routes anyone may call say so in the document.
    transform: ({ schema, url, route }) => ({
      schema: route.config?.public && schema ? { ...schema, security: [] } : schema,
      url,
    }),
  });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
});
