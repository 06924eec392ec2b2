import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Unauthenticated } from '../../lib/errors.js';
import { setSessionCookie } from '../../plugins/actor.js';
import {
  ChallengeBody,
  CodeBody,
  EnrolledSessionResponse,
  EnrolmentResponse,
  LoginCodeBody,
  PasswordAndCodeBody,
  PasswordBody,
  RecoveryCodesResponse,
  SessionResponse,
  TwoFactorPolicyBody,
  TwoFactorStatusResponse,
} from './auth.schemas.js';
import type { AuthService } from './auth.service.js';
import { client } from './sign-in-reply.js';
import type { TwoFactorService } from './two-factor.service.js';

/** The code step of sign-in, enrolment (required or chosen), recovery codes, and the admins' policy. */
export const twoFactorRoutes: FastifyPluginAsyncTypebox<{
  auth: AuthService;
  twoFactor: TwoFactorService;
}> = async (app, { auth, twoFactor }) => {
  const tags = ['auth'];
  // With the request's actor, which carries the client address that sign-in limits count.
  const authOf = (request: FastifyRequest) => {
    if (!request.auth) throw new Unauthenticated();
    return { ...request.auth, actor: request.actor };
  };

  app.post(
    '/api/auth/login/code',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Second step of sign-in: a code from the authenticator app, or a recovery code',
        description:
          'Answers 401 wrong_code (a code is accepted once), 401 sign_in_expired after 5 wrong codes or 10 minutes, ' +
          '429 after too many wrong codes for the account.',
        body: LoginCodeBody,
        response: { 200: SessionResponse },
      },
    },
    async (request, reply) => {
      const session = await auth.loginWithCode(request.body, client(request));
      setSessionCookie(request, reply, session);
      return { user: session.me };
    },
  );
  app.post(
    '/api/auth/login/enrol',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Two-factor sign-in is required and not set up yet: a secret and QR code to enrol an app',
        body: ChallengeBody,
        response: { 200: EnrolmentResponse },
      },
    },
    (request) => auth.enrolStart(request.body),
  );
  app.post(
    '/api/auth/login/enrol/confirm',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          "The enrolled app's first code: two-factor is on, the session starts, recovery codes are shown once",
        body: LoginCodeBody,
        response: { 200: EnrolledSessionResponse },
      },
    },
    async (request, reply) => {
      const { session, recoveryCodes } = await auth.enrolConfirm(request.body, client(request));
      setSessionCookie(request, reply, session);
      return { user: session.me, recoveryCodes };
    },
  );

  app.get(
    '/api/auth/two-factor',
    {
      schema: {
        tags,
        summary: 'My two-factor sign-in: on or off, recovery codes left',
        response: { 200: TwoFactorStatusResponse },
      },
    },
    (request) => twoFactor.status(request.actor),
  );
  app.post(
    '/api/auth/two-factor/setup',
    {
      schema: {
        tags,
        summary: 'Start enrolling an authenticator app (the password again): a secret and QR code',
        body: PasswordBody,
        response: { 200: EnrolmentResponse },
      },
    },
    (request) => auth.twoFactorSetup(authOf(request), request.body, request.ip),
  );
  app.post(
    '/api/auth/two-factor/enable',
    {
      schema: {
        tags,
        summary:
          "The app's first code turns two-factor on; other sessions end; recovery codes are shown once",
        body: CodeBody,
        response: { 200: RecoveryCodesResponse },
      },
    },
    async (request) => ({
      recoveryCodes: await auth.twoFactorEnable(authOf(request), request.body, request.ip),
    }),
  );
  app.post(
    '/api/auth/two-factor/disable',
    {
      schema: {
        tags,
        summary: 'Turn two-factor sign-in off (password and a code); refused while an admin requires it',
        body: PasswordAndCodeBody,
        response: { 200: TwoFactorStatusResponse },
      },
    },
    async (request) => {
      await twoFactor.disable(request.actor, request.body);
      return twoFactor.status(request.actor);
    },
  );
  app.post(
    '/api/auth/two-factor/recovery-codes',
    {
      schema: {
        tags,
        summary: 'New recovery codes (password and a code); the old ones stop working',
        body: PasswordAndCodeBody,
        response: { 200: RecoveryCodesResponse },
      },
    },
    async (request) => ({
      recoveryCodes: await twoFactor.regenerateRecoveryCodes(request.actor, request.body),
    }),
  );
  app.put(
    '/api/auth/two-factor/policy',
    {
      schema: {
        tags,
        summary: 'Who must use two-factor sign-in: off, admins, everyone (admins)',
        description: "Answers 409 while the admin's own account has no two-factor sign-in.",
        body: TwoFactorPolicyBody,
        response: { 200: TwoFactorPolicyBody },
      },
    },
    async (request) => ({ policy: await twoFactor.setPolicy(request.actor, request.body.policy) }),
  );
};
