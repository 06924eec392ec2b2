import type { Generated, Selectable } from 'kysely';
import type { Asset, Derivative, Folder, ProcessingTask } from '../../ports/catalog.js';
import type { AssetLocation } from '../../ports/volume.js';

/** The catalog's tables as TypeScript sees them (camelCase through CamelCasePlugin). */
export interface Database {
  folders: FolderTable;
  folderGroups: FolderGroupTable;
  assets: AssetTable;
  jobs: JobTable;
  auditLog: AuditLogTable;
  settings: SettingTable;
  assetLocations: AssetLocationTable;
  assetMetadata: AssetMetadataTable;
  assetDerivatives: AssetDerivativeTable;
  assetTasks: AssetTaskTable;
}

export type FolderTable = Folder;

export interface FolderGroupTable {
  folderId: string;
  groupName: string;
}

export type AssetTable = Asset;

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

export type JobRow = Selectable<JobTable>;

export type AssetLocationTable = AssetLocation;
export interface AssetMetadataTable {
  assetId: string;
  etag: string;
  /** JSON. */
  record: string;
  ffprobe: string | null;
  mediainfo: string | null;
  probedAt: number;
}

export type AssetDerivativeTable = Derivative;

export type AssetTaskTable = ProcessingTask;
