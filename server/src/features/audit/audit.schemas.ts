import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const AuditQueryString = Type.Object({
  since: Type.Optional(Type.String({ description: 'ISO 8601; entries at or after' })),
  until: Type.Optional(Type.String({ description: 'ISO 8601; entries before' })),
  action: Type.Optional(
    Type.String({ maxLength: 100, description: 'e.g. asset.delete, or a prefix: auth.*' }),
  ),
  actor: Type.Optional(Type.String({ maxLength: 256, description: 'A user id or username' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
});

export const AuditEntryResponse = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  action: Type.String(),
  targetType: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  detail: Nullable(Type.Record(Type.String(), Type.Unknown())),
  address: Nullable(Type.String()),
});

export const AuditPageResponse = Type.Object({
  items: Type.Array(AuditEntryResponse),
  nextCursor: Nullable(Type.String()),
});
