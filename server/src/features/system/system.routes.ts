import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Dailies } from '../../wiring.js';
import { requireAdmin } from '../access/access.policy.js';

export const systemRoutes: FastifyPluginAsyncTypebox<{ dailies: Dailies }> = async (app, { dailies }) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Liveness',
        response: { 200: Type.Object({ status: Type.String() }) },
      },
    },
    async () => ({
      status: 'ok',
    }),
  );
  app.post(
    '/api/reconcile',
    {
      schema: {
        tags: ['system'],
        summary: 'Re-index the lake now (admins)',
        response: {
          200: Type.Object({
            scanned: Type.Integer(),
            added: Type.Integer(),
            changed: Type.Integer(),
            moved: Type.Integer(),
            removed: Type.Integer(),
            foldersAdded: Type.Integer(),
            foldersRemoved: Type.Integer(),
            durationMs: Type.Number(),
          }),
        },
      },
    },
    async (request) => {
      requireAdmin(request.actor, 're-index the lake');
      return dailies.indexing.reconcile();
    },
  );
};
