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
  authMethod: Type.Union([Type.Literal('session'), Type.Literal('token')]),
  csrfToken: Nullable(
    Type.String({
      description: 'Send it as X-Dailies-CSRF on every POST/PUT/PATCH/DELETE made with the session cookie',
    }),
  ),
});

export const SessionResponse = Type.Object({ user: MeResponse });

export const AuthConfigResponse = Type.Object({
  signUp: Type.Boolean(),
  passwordMinLength: Type.Integer(),
  oidc: Nullable(
    Type.Object({
      name: Type.String(),
      startUrl: Type.String({ description: 'Navigate the browser here to sign in with the provider' }),
    }),
  ),
});

export const TokenCreateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
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
