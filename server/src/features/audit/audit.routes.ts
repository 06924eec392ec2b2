import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditPageResponse, AuditQueryString } from './audit.schemas.js';
import type { AuditService } from './audit.service.js';

export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditService }> = async (app, { audit }) => {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first (admins)',
        querystring: AuditQueryString,
        response: { 200: AuditPageResponse },
      },
    },
    (request) => audit.list(request.actor, request.query),
  );
};
