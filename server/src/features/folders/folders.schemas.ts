import { Type } from 'typebox';

export const FolderResponse = Type.Object({
  id: Type.String(),
  path: Type.String(),
  name: Type.String(),
  groups: Type.Array(Type.String()),
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
});
export const JobAccepted = Type.Object({ jobId: Type.String() });
export const FolderDeleteResponse = Type.Object({ trashed: Type.Integer() });
