import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Unauthenticated } from '../../lib/errors.js';
import { clearSessionCookie, setSessionCookie } from '../../plugins/actor.js';
import { PASSWORD_MIN_LENGTH } from '../users/identity-names.js';
import {
  AuthConfigResponse,
  LoginBody,
  MeResponse,
  OidcStartQuery,
  PasswordChangeBody,
  PendingSignInResponse,
  SessionResponse,
  SignupBody,
  SignupPendingResponse,
  TokenCreateBody,
  TokenCreatedResponse,
  TokenIdParams,
  TokenResponse,
} from './auth.schemas.js';
import type { AuthService } from './auth.service.js';
import { type OidcService, oidcNotConfigured } from './oidc.service.js';
import { client, sendSignIn } from './sign-in-reply.js';
import type { TokensService } from './tokens.service.js';
import { twoFactorRoutes } from './two-factor.routes.js';
import type { TwoFactorService } from './two-factor.service.js';

interface Options {
  auth: AuthService;
  tokens: TokensService;
  twoFactor: TwoFactorService;
  /** Sign-in through an OpenID Connect provider, when configured. */
  oidc?: OidcService | null;
}

const OIDC_START = '/api/auth/oidc/start';
const OIDC_CALLBACK = '/api/auth/oidc/callback';
const OIDC_COOKIE = 'dailies_oidc';

export const authRoutes: FastifyPluginAsyncTypebox<Options> = async (
  app,
  { auth, tokens, twoFactor, oidc },
) => {
  const tags = ['auth'];
  // With the request's actor, which carries the client address that sign-in limits count.
  const authOf = (request: FastifyRequest) => {
    if (!request.auth) throw new Unauthenticated();
    return { ...request.auth, actor: request.actor };
  };

  app.get(
    '/api/auth/config',
    {
      config: { public: true, allowPendingPasswordChange: true },
      schema: { tags, summary: 'How one may sign in here', response: { 200: AuthConfigResponse } },
    },
    async () => ({
      signUp: auth.signUpMode,
      passwordMinLength: PASSWORD_MIN_LENGTH,
      oidc: oidc ? { name: oidc.name, startUrl: OIDC_START } : null,
    }),
  );
  app.get(
    OIDC_START,
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign in with the OpenID Connect provider: redirects the browser there',
        description: 'Answers 404 when single sign-on is not set up.',
        querystring: OidcStartQuery,
      },
    },
    async (request, reply) => {
      if (!oidc) oidcNotConfigured();
      const { url, transaction } = await oidc.start(oidcRedirectUri(request), request.query.returnTo);
      reply.setCookie(OIDC_COOKIE, transaction, {
        path: '/api/auth/oidc',
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        maxAge: 600,
      });
      return reply.redirect(url, 302);
    },
  );
  app.get(
    OIDC_CALLBACK,
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Where the provider sends the browser back; sets the session cookie and redirects',
      },
    },
    async (request, reply) => {
      if (!oidc) oidcNotConfigured();
      const current = new URL(oidcRedirectUri(request));
      current.search = new URL(request.url, 'http://placeholder').search;
      const { session, returnTo } = await oidc.callback(
        current,
        request.cookies[OIDC_COOKIE],
        client(request),
      );
      reply.clearCookie(OIDC_COOKIE, { path: '/api/auth/oidc' });
      setSessionCookie(request, reply, session);
      return reply.redirect(returnTo, 302);
    },
  );

  /** The registered callback URL, or this server's own as the client reached it. */
  function oidcRedirectUri(request: FastifyRequest): string {
    return oidc?.redirectUri ?? `${request.protocol}://${request.host}${OIDC_CALLBACK}`;
  }
  app.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign in with a password; sets the session cookie, or asks for a code next (202)',
        description:
          'Answers 401 for a wrong username or password, 403 approval_pending for a sign-up an admin has not approved yet, ' +
          '429 after too many failures for the account from this address or from this address. ' +
          'With two-factor sign-in on (or required and not yet set up) it answers 202 with a challenge for the next step.',
        body: LoginBody,
        response: { 200: SessionResponse, 202: PendingSignInResponse },
      },
    },
    async (request, reply) => sendSignIn(request, reply, await auth.login(request.body, client(request))),
  );
  app.post(
    '/api/auth/signup',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Create an account (joins "editors")',
        description:
          'DAILIES_SIGNUP=open: signed in at once (201). approve (the default): the account waits for an admin (202 awaitingApproval). ' +
          'off: 403 signup_disabled.',
        body: SignupBody,
        response: { 201: SessionResponse, 202: Type.Union([SignupPendingResponse, PendingSignInResponse]) },
      },
    },
    async (request, reply) => {
      const result = await auth.signup(request.body, client(request));
      if ('awaitingApproval' in result) return reply.status(202).send(result);
      return sendSignIn(request, reply, result, 201);
    },
  );
  app.post(
    '/api/auth/logout',
    {
      config: { allowPendingPasswordChange: true },
      schema: { tags, summary: 'End this session', response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await auth.logout(request.auth);
      clearSessionCookie(request, reply);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/auth/password',
    {
      config: { allowPendingPasswordChange: true },
      schema: {
        tags,
        summary: "Change one's own password; ends every other session",
        body: PasswordChangeBody,
        response: { 200: SessionResponse },
      },
    },
    async (request) => ({ user: await auth.changePassword(authOf(request), request.body) }),
  );
  app.get(
    '/api/me',
    {
      config: { allowPendingPasswordChange: true },
      schema: { tags, summary: 'Who is signed in, with the CSRF token', response: { 200: MeResponse } },
    },
    (request) => auth.me(authOf(request)),
  );

  await app.register(twoFactorRoutes, { auth, twoFactor });

  app.get(
    '/api/tokens',
    {
      schema: {
        tags,
        summary: 'My personal API tokens',
        response: { 200: Type.Object({ items: Type.Array(TokenResponse) }) },
      },
    },
    async (request) => ({ items: await tokens.list(request.actor) }),
  );
  app.post(
    '/api/tokens',
    {
      schema: {
        tags,
        summary: 'Create a personal API token (Authorization: Bearer) for scripts and the CLI',
        description:
          'Needs the password again (and a code when two-factor sign-in is on): 403 wrong_password, code_required or wrong_code otherwise. ' +
          'A token lasts expiresInDays (default 90, at most 365) and is revoked when the password changes.',
        body: TokenCreateBody,
        response: { 201: TokenCreatedResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await tokens.create(authOf(request), request.body)),
  );
  app.delete(
    '/api/tokens/:id',
    {
      schema: { tags, summary: 'Revoke a token', params: TokenIdParams, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await tokens.revoke(request.actor, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
