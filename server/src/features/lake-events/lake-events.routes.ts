import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Unauthenticated } from '../../lib/errors.js';
import { presentedToken, sameToken } from '../../lib/shared-token.js';
import type { LakeEventsService } from './lake-events.service.js';
import { parseS3EventMessage } from './s3-event-message.js';

/** An S3 event message is a few hundred bytes a record; 100 records fit well within this. */
const BODY_LIMIT = 512 * 1024;

/**
 * `POST /api/lake/events`: S3 event notifications (AWS through an SNS or SQS bridge, MinIO and
 * Ceph webhooks). Public to the actor plugin, like /metrics: the credential is the shared
 * `DAILIES_LAKE_EVENTS_TOKEN`, not a user. Without a token configured the route answers as if it
 * did not exist.
 */
export const lakeEventsRoutes: FastifyPluginAsyncTypebox<{
  lakeEvents: LakeEventsService;
  token?: string;
}> = async (app, { lakeEvents, token }) => {
  // SNS posts its JSON as text/plain; some bridges send no JSON type at all.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.post(
    '/api/lake/events',
    {
      config: { public: true },
      bodyLimit: BODY_LIMIT,
      schema: {
        tags: ['system'],
        summary: 'Index the keys an S3 event notification names (a bearer DAILIES_LAKE_EVENTS_TOKEN)',
        response: {
          200: Type.Object({
            records: Type.Integer(),
            indexed: Type.Integer(),
            removed: Type.Integer(),
            deferred: Type.Integer(),
            ignored: Type.Array(Type.Object({ key: Type.String(), reason: Type.String() })),
          }),
        },
      },
    },
    async (request, reply) => {
      if (!token) return reply.callNotFound();
      const given = presentedToken(request.headers.authorization);
      if (given === null || !sameToken(given, token))
        throw new Unauthenticated(
          'S3 event notifications need the DAILIES_LAKE_EVENTS_TOKEN as a bearer token.',
        );
      return lakeEvents.apply(parseS3EventMessage(request.body));
    },
  );
};
