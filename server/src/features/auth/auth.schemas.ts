import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const LoginBody = Type.Object({
  username: Type.String({ maxLength: 256 }),
  password: Type.String({ maxLength: 1024 }),
});

export const SignupBody = Type.Object({
  username: Type.String({ maxLength: 256, description: 'a-z, 0-9 and . _ @ -; stored in lower case' }),
  password: Type.String({ maxLength: 1024, description: 'At least 8 characters' }),
});

export const PasswordChangeBody = Type.Object({
  currentPassword: Type.String({ maxLength: 1024 }),
  newPassword: Type.String({ maxLength: 1024 }),
});

export const MeResponse = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Nullable(Type.String()),
  groups: Type.Array(Type.String()),
  isAdmin: Type.Boolean(),
  mustChangePassword: Type.Boolean({
    description:
      'True until the user replaces a password an admin set; other calls answer 403 password_change_required',
  }),
  twoFactorEnabled: Type.Boolean(),
  authMethod: Type.Union([Type.Literal('session'), Type.Literal('token')]),
  csrfToken: Nullable(
    Type.String({
      description: 'Send it as X-Dailies-CSRF on every POST/PUT/PATCH/DELETE made with the session cookie',
    }),
  ),
});

export const SessionResponse = Type.Object({ user: MeResponse });

export const AuthConfigResponse = Type.Object({
  signUp: Type.Union([Type.Literal('open'), Type.Literal('approve'), Type.Literal('off')], {
    description: 'open: new accounts join editors at once; approve: they wait for an admin; off: no sign-up',
  }),
  passwordMinLength: Type.Integer(),
  oidc: Nullable(
    Type.Object({
      name: Type.String(),
      startUrl: Type.String({ description: 'Navigate the browser here to sign in with the provider' }),
    }),
  ),
});

const Code = Type.String({
  maxLength: 64,
  description: 'The 6-digit code from the authenticator app, or a recovery code',
});

export const TokenCreateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  expiresInDays: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 365,
      description: 'Days until the token stops working (default 90)',
    }),
  ),
  password: Type.Optional(
    Type.String({
      maxLength: 1024,
      description: "The account's password, given again (not for single sign-on)",
    }),
  ),
  code: Type.Optional(Code),
});

export const PendingSignInResponse = Type.Object({
  next: Type.Union([Type.Literal('code'), Type.Literal('enrol')], {
    description:
      'code: send a code to POST /api/auth/login/code; enrol: an admin requires two-factor sign-in, set it up through /api/auth/login/enrol',
  }),
  challenge: Type.String({ description: 'Send it back with the next step; it lasts 10 minutes' }),
  expiresAt: Type.String(),
});

export const SignupPendingResponse = Type.Object({
  awaitingApproval: Type.Literal(true),
  message: Type.String(),
});

export const LoginCodeBody = Type.Object({ challenge: Type.String({ maxLength: 256 }), code: Code });
export const ChallengeBody = Type.Object({ challenge: Type.String({ maxLength: 256 }) });

export const EnrolmentResponse = Type.Object({
  secret: Type.String({ description: 'Base32, to type into the app by hand' }),
  uri: Type.String({ description: 'otpauth:// URI' }),
  qrCodeSvg: Type.String({ description: 'The URI as a QR code, an SVG document' }),
});

export const RecoveryCodesResponse = Type.Object({
  recoveryCodes: Type.Array(Type.String(), { description: 'Shown once; each works once' }),
});

export const EnrolledSessionResponse = Type.Object({
  user: MeResponse,
  recoveryCodes: Type.Array(Type.String(), { description: 'Shown once; each works once' }),
});

export const TwoFactorStatusResponse = Type.Object({
  enabled: Type.Boolean(),
  enabledAt: Nullable(Type.String()),
  recoveryCodesLeft: Type.Integer(),
  required: Type.Boolean({ description: 'An admin requires it for this account' }),
  policy: Type.Union([Type.Literal('off'), Type.Literal('admins'), Type.Literal('everyone')]),
});

export const PasswordBody = Type.Object({ password: Type.String({ maxLength: 1024 }) });
export const CodeBody = Type.Object({ code: Code });
export const PasswordAndCodeBody = Type.Object({ password: Type.String({ maxLength: 1024 }), code: Code });

export const TwoFactorPolicyBody = Type.Object({
  policy: Type.Union([Type.Literal('off'), Type.Literal('admins'), Type.Literal('everyone')], {
    description: 'Who must use two-factor sign-in: nobody, members of admin, or everyone',
  }),
});

export const TokenResponse = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Nullable(Type.String()),
  expiresAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
});

export const TokenCreatedResponse = Type.Object({
  token: Type.String({ description: 'Shown once: send it as "Authorization: Bearer <token>"' }),
  item: TokenResponse,
});

export const TokenIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const OidcStartQuery = Type.Object({
  returnTo: Type.Optional(Type.String({ maxLength: 2048, description: 'A path on this site to land on' })),
});
