import { Type } from 'typebox';

const Volume = Type.Object({
  id: Type.String({ description: 'Short id, e.g. "edit": lower-case letters, digits, "-" or "_"' }),
  name: Type.String({ description: 'Shown to people' }),
  path: Type.String({ description: 'Where the volume is mounted on the server, e.g. /mnt/edit' }),
  displayPath: Type.String({ description: 'The path editors see, e.g. \\\\fsx\\share or /Volumes/edit' }),
  groups: Type.Array(Type.String(), { description: 'Groups that may use it (admins always may)' }),
});

const FsLake = Type.Object({
  kind: Type.Literal('fs'),
  path: Type.String({ description: 'A directory on the server' }),
});

export const SettingsResponse = Type.Object({
  lake: Type.Union([
    FsLake,
    Type.Object({
      kind: Type.Literal('s3'),
      bucket: Type.String(),
      prefix: Type.String(),
      region: Type.String(),
      endpoint: Type.Union([Type.String(), Type.Null()], { description: 'null: AWS itself' }),
      forcePathStyle: Type.Boolean(),
      accessKeyId: Type.Union([Type.String(), Type.Null()], {
        description: "null: the server's own credentials",
      }),
      secretSet: Type.Boolean({
        description: 'Whether a secret access key is set; the key itself is never shown',
      }),
    }),
  ]),
  volumes: Type.Array(Volume),
  saved: Type.Object(
    { lake: Type.Boolean(), volumes: Type.Boolean() },
    { description: 'false: the value comes from the config file or environment' },
  ),
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
});

export const SettingsUpdateBody = Type.Object({
  lake: Type.Optional(
    Type.Union([
      FsLake,
      Type.Object({
        kind: Type.Literal('s3'),
        bucket: Type.String({ description: 'Surrounding spaces are trimmed' }),
        prefix: Type.Optional(Type.String()),
        region: Type.Optional(Type.String()),
        endpoint: Type.Optional(Type.String({ description: "'' for AWS itself" })),
        forcePathStyle: Type.Optional(Type.Boolean()),
        accessKeyId: Type.Optional(Type.String({ description: "'' drops saved keys" })),
        secretAccessKey: Type.Optional(
          Type.String({ description: 'Absent or empty: the secret in use is kept' }),
        ),
      }),
    ]),
  ),
  volumes: Type.Optional(
    Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.Optional(Type.String()),
        path: Type.String(),
        displayPath: Type.Optional(Type.String()),
        groups: Type.Optional(Type.Array(Type.String())),
      }),
      { maxItems: 100, description: 'Replaces every volume' },
    ),
  ),
});
