import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const UserResponse = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Nullable(Type.String()),
  groups: Type.Array(Type.String()),
  isAdmin: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  disabled: Type.Boolean(),
  awaitingApproval: Type.Boolean({ description: 'Signed up; cannot sign in until an admin approves' }),
  twoFactorEnabled: Type.Boolean(),
  signIn: Type.String({ description: 'password, oidc, or password+oidc' }),
  createdAt: Type.String(),
  lastSignInAt: Nullable(Type.String()),
});

export const UserListResponse = Type.Object({ items: Type.Array(UserResponse) });

export const UserCreateBody = Type.Object({
  username: Type.String({ maxLength: 256 }),
  password: Type.Optional(
    Type.String({ maxLength: 1024, description: 'Generated (and returned once) when left out' }),
  ),
  displayName: Type.Optional(Nullable(Type.String({ maxLength: 256 }))),
  groups: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 100, default: undefined })),
});

export const UserCreatedResponse = Type.Object({
  user: UserResponse,
  password: Type.Optional(Type.String({ description: 'The generated password, shown once' })),
});

export const UserPatchBody = Type.Object({
  displayName: Type.Optional(Nullable(Type.String({ maxLength: 256 }))),
  groups: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 100 })),
  disabled: Type.Optional(Type.Boolean()),
  password: Type.Optional(
    Type.String({ maxLength: 1024, description: 'A new password; the user must change it at next sign-in' }),
  ),
  mustChangePassword: Type.Optional(
    Type.Boolean({ description: 'Whether the user must choose a new password at next sign-in' }),
  ),
});

export const UserIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const GroupResponse = Type.Object({
  name: Type.String(),
  description: Nullable(Type.String()),
  memberCount: Type.Integer(),
  builtin: Type.Boolean({ description: 'admin and editors always exist' }),
  createdAt: Type.String(),
});

export const GroupListResponse = Type.Object({ items: Type.Array(GroupResponse) });

export const GroupCreateBody = Type.Object({
  name: Type.String({ maxLength: 256, description: 'a-z, 0-9 and . _ -' }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 256 }))),
});

export const GroupNameParams = Type.Object({ name: Type.String({ maxLength: 256 }) });
export const MemberAddBody = Type.Object({
  user: Type.String({ maxLength: 256, description: 'A user id or username' }),
});
export const MemberParams = Type.Object({
  name: Type.String({ maxLength: 256 }),
  user: Type.String({ maxLength: 256, description: 'A user id or username' }),
});
