import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type Actor, SYSTEM_ACTOR } from '../features/access/actor.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

/**
 * Who is calling. Until sign-in exists every request acts as the built-in admin actor;
 * the sign-in feature replaces `resolveActor`.
 */
export const actorPlugin = fp(
  async (app: FastifyInstance, options: { resolveActor?: (request: FastifyRequest) => Promise<Actor> }) => {
    const resolve = options.resolveActor ?? (async () => SYSTEM_ACTOR);
    app.decorateRequest('actor', null as unknown as Actor);
    app.addHook('onRequest', async (request) => {
      request.actor = await resolve(request);
    });
  },
);
