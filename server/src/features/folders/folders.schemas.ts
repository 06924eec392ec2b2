import { Type } from 'typebox';

export const FolderAccess = Type.Object(
  {
    visibleTo: Type.Array(Type.String(), {
      description: 'Groups whose members see the folder (admins see every folder)',
    }),
    everyone: Type.Boolean({ description: 'Open to every signed-in user (the root)' }),
    source: Type.Union([Type.Literal('root'), Type.Literal('parent'), Type.Literal('own')], {
      description: "Where the folder's groups come from: the root's, the same as its parent's, or set on it",
    }),
    limitedBy: Type.Array(Type.Object({ group: Type.String(), folder: Type.String() }), {
      description: 'Groups set on this folder that a folder above lacks, so their members cannot see it',
    }),
  },
  { description: 'Who can see the folder, and why' },
);

export const FolderResponse = Type.Object({
  id: Type.String(),
  path: Type.String(),
  name: Type.String(),
  groups: Type.Array(Type.String(), { description: "The folder's own groups" }),
  access: FolderAccess,
  warning: Type.Optional(
    Type.String({ description: 'A sibling differs from this name only in case or Unicode form' }),
  ),
  createdAt: Type.String(),
  modifiedAt: Type.String(),
});

export const FolderListingResponse = Type.Object({
  folder: FolderResponse,
  children: Type.Array(FolderResponse),
});

export const FolderQuery = Type.Object({
  path: Type.String({ default: '/', description: 'A folder path such as /Day 03/Cam A' }),
});
export const FolderCreateBody = Type.Object({ path: Type.String({ minLength: 1 }) });
export const FolderMoveBody = Type.Object({
  path: Type.String({ minLength: 1 }),
  newPath: Type.String({ minLength: 1 }),
});
export const FolderGroupsBody = Type.Object({
  path: Type.String({ minLength: 1 }),
  groups: Type.Array(Type.String(), { maxItems: 100 }),
  scope: Type.Optional(
    Type.Union([Type.Literal('subtree'), Type.Literal('folder')], {
      default: 'subtree',
      description: '`subtree` (default): this folder and everything in it; `folder`: only this folder',
    }),
  ),
});
export const JobAccepted = Type.Object({ jobId: Type.String() });
export const FolderDeleteResponse = Type.Object({ trashed: Type.Integer() });
