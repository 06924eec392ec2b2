import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../features/access/actor.js';
import {
  type Authentication,
  anonymous,
  PasswordChangeRequired,
  type StartedSession,
} from '../features/auth/auth.service.js';
import { AppError, Unauthenticated } from '../lib/errors.js';

export const SESSION_COOKIE = 'dailies_session';
export const CSRF_HEADER = 'x-dailies-csrf';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; the anonymous actor on public routes when nobody is signed in. */
    actor: Actor;
    /** How the caller proved who they are; null when anonymous. */
    auth: Authentication | null;
    /**
     * Checks the request's cookie or token again, now: long-lived responses (the event stream)
     * use it to stop when the session ends or the caller's groups change.
     */
    reauthenticate(): Promise<Authentication | null>;
  }
  interface FastifyContextConfig {
    /**
     * Served without signing in (sign-in itself, the OpenAPI document, signed download URLs,
     * health, the web app). Every route without it needs a signed-in caller.
     */
    public?: boolean;
    /** Reachable while the user must still replace a password an admin set. */
    allowPendingPasswordChange?: boolean;
  }
  interface FastifyInstance {
    /** Every route registered after this plugin: the permission matrix test enumerates it. */
    routeTable: ReadonlyArray<{ method: string; url: string; public: boolean }>;
  }
}

export type ActorPluginOptions =
  | {
      authenticateSession(token: string): Promise<Authentication | null>;
      authenticateToken(token: string): Promise<Authentication | null>;
    }
  | {
      /** For a route tested on its own: who is calling, instead of cookies and tokens. */
      resolveActor(request: FastifyRequest): Promise<Actor | undefined>;
    };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is calling, on every request: a session cookie (HttpOnly, SameSite=Lax, Secure behind
 * TLS) or `Authorization: Bearer dly_…`. Anonymous requests reach only routes marked
 * `config.public` (sign-in, health, the web app, signed downloads); every other route gets
 * 401, whatever the spelling of its URL, since the matched route's config decides.
 * Cookie-authenticated changes must come from our own pages (`Sec-Fetch-Site: same-origin`,
 * which browsers set and pages cannot) or carry the session's CSRF token in `X-Dailies-CSRF`;
 * bearer requests are exempt (a browser never adds that header on its own). A user whose
 * password an admin set reaches only what changing it needs.
 */
export const actorPlugin = fp(async (app: FastifyInstance, options: ActorPluginOptions) => {
  await app.register(cookie);
  const routes: Array<{ method: string; url: string; public: boolean }> = [];
  app.decorate('routeTable', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      routes.push({ method, url: route.url, public: route.config?.public === true });
    }
  });
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('auth', null);

  /** Who the request's credentials name right now; `refused` says why a credential failed. */
  const authenticate = async (
    request: FastifyRequest,
  ): Promise<{ auth: Authentication | null; refused: string | null }> => {
    if ('resolveActor' in options) {
      const actor = await options.resolveActor(request);
      const auth: Authentication | null = actor
        ? { actor, method: 'token', sessionId: null, csrfToken: null, mustChangePassword: false }
        : null;
      return { auth, refused: null };
    }
    const bearer = bearerToken(request);
    if (bearer !== null) {
      const auth = await options.authenticateToken(bearer);
      return { auth, refused: auth ? null : 'The API token is not valid, has expired or has been revoked.' };
    }
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return { auth: null, refused: null };
    const auth = await options.authenticateSession(token);
    return { auth, refused: auth ? null : 'Your session has ended; sign in again.' };
  };
  app.decorateRequest('reauthenticate', async function (this: FastifyRequest) {
    return (await authenticate(this)).auth;
  });

  app.addHook('onRequest', async (request) => {
    // Decided by the route the router matched, never by the text of the URL: the router
    // decodes `%61pi` into `api`, so a prefix test on `request.url` can be walked around.
    // A request no route matched only ever reaches the 404 handler.
    if (request.is404) {
      request.auth = null;
      request.actor = anonymous(request.ip);
      return;
    }
    const config = request.routeOptions.config ?? {};
    const open = config.public === true;
    const { auth, refused } = await authenticate(request);
    request.auth = auth;
    request.actor = auth ? { ...auth.actor, address: request.ip } : anonymous(request.ip);
    if (open) return;
    if (!auth) throw new Unauthenticated(refused ?? 'Sign in first.');
    if (auth.method === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      // Browsers set Sec-Fetch-Site themselves and a page cannot forge it: same-origin is
      // proof enough; any other client must echo the session's token.
      const sameOrigin = request.headers['sec-fetch-site'] === 'same-origin';
      if (!sameOrigin && (typeof sent !== 'string' || sent !== auth.csrfToken)) {
        throw new AppError(
          403,
          'csrf',
          `This change needs the ${CSRF_HEADER} header with the csrfToken from GET /api/me; reload the page.`,
        );
      }
    }
    if (auth.mustChangePassword && !config.allowPendingPasswordChange) throw new PasswordChangeRequired();
  });
});

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : '';
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure when the client reached us over TLS. */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  session: StartedSession,
): void {
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    expires: new Date(session.expiresAt),
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
  });
}
