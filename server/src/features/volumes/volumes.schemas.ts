import { Type } from 'typebox';

export const VolumeResponse = Type.Object({
  id: Type.String(),
  name: Type.String(),
  displayPath: Type.String({ description: 'The path editors see, e.g. \\\\fsx\\share or /Volumes/edit' }),
  groups: Type.Array(Type.String(), { description: 'Groups that may use the volume (admins always may)' }),
});
export const VolumeListResponse = Type.Object({ items: Type.Array(VolumeResponse) });

export const VolumeParams = Type.Object({ id: Type.String() });

export const VolumeCopyBody = Type.Object({
  ids: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 10_000 }),
});
export const VolumeRemoveBody = Type.Object({
  ids: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 10_000 }),
  force: Type.Optional(
    Type.Boolean({ description: 'Admins only: delete even a file changed on the volume (audited)' }),
  ),
});
export const VolumeFolderBody = Type.Object({
  folder: Type.String({ description: 'A lake folder path; its subfolders the caller may see come along' }),
  force: Type.Optional(
    Type.Boolean({ description: 'Removal only, admins only: delete even files changed on the volume' }),
  ),
});
export const VolumeJobsResponse = Type.Object({
  jobs: Type.Array(Type.Object({ assetId: Type.String(), jobId: Type.String() }), {
    description: 'One job per asset; follow each at /api/jobs/:id',
  }),
});

export const VolumeScanResponse = Type.Object({
  checked: Type.Integer(),
  missing: Type.Integer({ description: 'Copies deleted on the volume by others (no longer a location)' }),
  changed: Type.Integer({ description: 'Copies changed on the volume by others (no longer a location)' }),
  swept: Type.Integer({ description: 'Temporary files left by copies that were stopped, removed' }),
});

export const VolumeFilesQuery = Type.Object({ path: Type.Optional(Type.String({ default: '/' })) });
export const VolumeFilesResponse = Type.Object({
  volume: Type.String(),
  path: Type.String(),
  entries: Type.Array(
    Type.Object({
      name: Type.String(),
      path: Type.String(),
      type: Type.Union([Type.Literal('file'), Type.Literal('folder')]),
      size: Type.Number(),
      mtime: Type.Number(),
    }),
  ),
});

export const VolumeImportBody = Type.Object({
  paths: Type.Array(Type.String(), {
    minItems: 1,
    maxItems: 10_000,
    description: 'Files or folders on the volume',
  }),
  folder: Type.String({ description: 'The lake folder they go into' }),
});
export const VolumeImportResponse = Type.Object({ jobId: Type.String() });
