import type { Generated, Selectable } from 'kysely';
import type { Asset, Derivative, Folder, ProcessingTask } from '../../ports/catalog.js';
import type { Note } from '../../ports/notes.js';
import type { Sequence, SequenceFrame } from '../../ports/sequences.js';
import type { AssetLocation } from '../../ports/volume.js';

/** The catalog's tables as TypeScript sees them (camelCase through CamelCasePlugin). */
export interface Database {
  folders: FolderTable;
  folderGroups: FolderGroupTable;
  assets: AssetTable;
  jobs: JobTable;
  auditLog: AuditLogTable;
  settings: SettingTable;
  users: UserTable;
  groups: GroupTable;
  groupMembers: GroupMemberTable;
  sessions: SessionTable;
  apiTokens: ApiTokenTable;
  signInAttempts: SignInAttemptTable;
  recoveryCodes: RecoveryCodeTable;
  signInChallenges: SignInChallengeTable;
  folderAccess: FolderAccessTable;
  assetLocations: AssetLocationTable;
  assetMetadata: AssetMetadataTable;
  assetDerivatives: AssetDerivativeTable;
  assetTasks: AssetTaskTable;
  lakeIntents: LakeIntentTable;
  assetLogs: AssetLogTable;
  logFields: LogFieldTable;
  assetLogValues: AssetLogValueTable;
  assetNotes: AssetNoteTable;
  sequences: SequenceTable;
  sequenceFrames: SequenceFrameTable;
  folderLooks: FolderLookTable;
}

export interface FolderLookTable {
  folderId: string;
  lutName: string | null;
  lutDimensions: number | null;
  lutSize: number | null;
  lutDigest: string | null;
  lutCube: string | null;
  burnInClipName: number;
  burnInTimecode: number;
  burnInFrameCounter: number;
  updatedAt: number;
  updatedBy: string | null;
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
  /** 1 for a job marked heavy (EnqueueOptions.heavy); absent before the job-lanes migration. */
  heavy?: Generated<number>;
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
  /** Username of whoever saved it; null when written before this was kept. */
  updatedBy: string | null;
}

export interface LakeIntentTable {
  id: string;
  kind: string;
  assetId: string | null;
  fromKey: string;
  toKey: string;
  /** JSON of the kind's own fields. */
  detail: string;
  owner: string;
  createdAt: number;
}

/** Notes on assets: the row is the port's note, column for field. */
export type AssetNoteTable = Note;

export type JobRow = Selectable<JobTable>;

/** Booleans are 0/1 integers on both dialects. */
export interface UserTable {
  id: string;
  username: string;
  displayName: string | null;
  passwordHash: string | null;
  mustChangePassword: number;
  disabled: number;
  oidcIssuer: string | null;
  oidcSubject: string | null;
  createdAt: number;
  updatedAt: number;
  lastSignInAt: number | null;
  awaitingApproval: number;
  totpSecret: string | null;
  totpPendingSecret: string | null;
  totpEnabledAt: number | null;
  totpLastStep: number | null;
}

export interface GroupTable {
  name: string;
  description: string | null;
  createdAt: number;
}

export interface GroupMemberTable {
  userId: string;
  groupName: string;
}

export interface SessionTable {
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  address: string | null;
  userAgent: string | null;
  secondFactor: string | null;
}

export interface ApiTokenTable {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
}

export interface SignInAttemptTable {
  id: string;
  at: number;
  username: string;
  address: string;
  success: number;
  kind: string;
}

export interface RecoveryCodeTable {
  id: string;
  userId: string;
  codeHash: string;
  createdAt: number;
  usedAt: number | null;
}

export interface SignInChallengeTable {
  id: string;
  userId: string;
  kind: string;
  createdAt: number;
  expiresAt: number;
  failures: number;
}

/** A folder's effective groups (its own, intersected with its parent's); the root holds '*'. */
export interface FolderAccessTable {
  folderId: string;
  groupName: string;
}

/** `frames` is the JSON of `AssetLocation.frames`. */
export type AssetLocationTable = Omit<AssetLocation, 'frames'> & { frames: string | null };
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

/** Logging fields (ports/asset-log.ts); `circled` is 0/1. */
export interface AssetLogTable {
  assetId: string;
  camera: string | null;
  cameraSource: string | null;
  reel: string | null;
  reelSource: string | null;
  scene: string | null;
  take: string | null;
  circled: number;
  rating: number | null;
  description: string | null;
  updatedAt: number | null;
  updatedBy: string | null;
}

export interface LogFieldTable {
  id: string;
  key: string;
  label: string;
  kind: string;
  /** JSON array of the choices. */
  choices: string;
  position: number;
  createdAt: number;
}

export interface AssetLogValueTable {
  assetId: string;
  fieldId: string;
  textValue: string | null;
  numberValue: number | null;
  /** The text folded (lib/log-values `foldLogValue`), what a search compares. */
  searchKey: string | null;
}

export type SequenceTable = Sequence;

export interface SequenceFrameTable extends SequenceFrame {
  assetId: string;
}
