import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, setSessionCookie } from '../../plugins/actor.js';
import type { ClientContext, SignInResult } from './auth.service.js';

/** A started session sets the cookie; a sign-in waiting for a code answers 202 with its challenge. */
export function sendSignIn(request: FastifyRequest, reply: FastifyReply, result: SignInResult, status = 200) {
  if ('pending' in result) {
    const { next, challenge, expiresAt } = result.pending;
    return reply.status(202).send({ next, challenge, expiresAt: new Date(expiresAt).toISOString() });
  }
  setSessionCookie(request, reply, result.session);
  return reply.status(status).send({ user: result.session.me });
}

export function client(request: FastifyRequest): ClientContext {
  return {
    address: request.ip,
    userAgent: request.headers['user-agent'],
    previousSessionToken: request.cookies[SESSION_COOKIE],
  };
}
