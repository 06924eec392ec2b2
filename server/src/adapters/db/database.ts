import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** The catalog's tables as TypeScript sees them (camelCase through CamelCasePlugin). */
export interface Database {
  folders: FolderTable;
  folderGroups: FolderGroupTable;
  assets: AssetTable;
  jobs: JobTable;
  auditLog: AuditLogTable;
  settings: SettingTable;
}

export interface FolderTable {
  id: string;
  path: string;
  parentId: string | null;
  name: string;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface FolderGroupTable {
  folderId: string;
  groupName: string;
}

export interface AssetTable {
  id: string;
  folderId: string;
  name: string;
  sortName: string;
  format: string;
  kind: string | null;
  size: number;
  etag: string;
  lakeMtime: number;
  state: string;
  stateReason: string | null;
  currentJob: string | null;
  checksumXxh64: string | null;
  checksumMd5: string | null;
  duration: number | null;
  width: number | null;
  height: number | null;
  frameRate: string | null;
  videoCodec: string | null;
  audioCodec: string | null;
  audioTracks: number | null;
  uploadedBy: string | null;
  createdAt: number;
  updatedAt: number;
  trashedAt: number | null;
  trashedFrom: string | null;
  trashKey: string | null;
}

export interface JobTable {
  id: string;
  name: string;
  key: string | null;
  data: string;
  state: string;
  attempts: Generated<number>;
  maxAttempts: number;
  runAfter: number;
  lockedUntil: number | null;
  lockedBy: string | null;
  progressDone: Generated<number>;
  progressTotal: Generated<number>;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface AuditLogTable {
  id: string;
  at: number;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: string | null;
  address: string | null;
}

export interface SettingTable {
  key: string;
  value: string;
  updatedAt: number;
}

export type FolderRow = Selectable<FolderTable>;
export type AssetRow = Selectable<AssetTable>;
export type NewAsset = Insertable<AssetTable>;
export type AssetUpdate = Updateable<AssetTable>;
export type JobRow = Selectable<JobTable>;
export type AuditRow = Selectable<AuditLogTable>;
