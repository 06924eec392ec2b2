import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static, TSchema } from 'typebox';
import type { Actor } from '../access/actor.js';
import { VolumeParams } from './volumes.schemas.js';

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/**
 * `POST /api/volumes/:id/<action>`: work on a volume that runs as jobs (copy, remove, prepare,
 * import), so the answer is 202 with what to follow. One declaration keeps the volume routes
 * alike in path, tag, status and the actor handed to the service.
 */
export function volumeJobRoute<Body extends TSchema, Reply extends TSchema>(
  app: App,
  route: { action: string; summary: string; body: Body; reply: Reply },
  start: (actor: Actor, volumeId: string, body: Static<Body>) => Promise<Static<Reply>>,
): void {
  app.post(
    `/api/volumes/:id/${route.action}`,
    {
      schema: {
        tags: ['volumes'],
        summary: route.summary,
        params: VolumeParams,
        body: route.body,
        // Widened so the generic reply type-checks; the schema still validates and serialises it.
        response: { 202: route.reply as TSchema },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await start(request.actor, request.params.id, request.body as Static<Body>)),
  );
}
