/** The catalog: an index of the lake plus what Dailies adds. Repositories, one per table family. */

import type { AssetLogRepository } from './asset-log.js';
import type {
  ApiTokenRepository,
  GroupRepository,
  RecoveryCodeRepository,
  SessionRepository,
  SignInAttemptRepository,
  SignInChallengeRepository,
  UserRepository,
} from './identity.js';
import type { FolderLookRepository } from './looks.js';
import type { TechnicalMetadata } from './media.js';
import type { NoteRepository } from './notes.js';
import type { SequenceRepository } from './sequences.js';

/**
 * Which folders a query may return rows from, so lists filter in the query: every folder
 * (admins), or those open to one of `groups` (the root is open to every signed-in user).
 */
export type AccessScope = { all: true } | { all: false; groups: string[] };

export type AssetState = 'pending' | 'processing' | 'ready' | 'failed';
export type AssetKind = 'video' | 'audio' | 'image' | 'other';

export interface Folder {
  id: string;
  /** `/` for the root, `/Day 03/Cam A` below it. */
  path: string;
  parentId: string | null;
  name: string;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface Asset {
  id: string;
  folderId: string;
  name: string;
  /**
   * The name's key (NFC, case folded: lib/paths `nameKey`), so sorting is the same on SQLite
   * and PostgreSQL and a name's case or Unicode twins are found by index.
   */
  sortName: string;
  /** The extension in upper case until probed, then the container format. */
  format: string;
  kind: AssetKind | null;
  size: number;
  etag: string;
  lakeMtime: number;
  state: AssetState;
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
  /** The first frame's source timecode (`01:00:00:00`, drop-frame with `;`), once probed. */
  startTimecode: string | null;
  uploadedBy: string | null;
  createdAt: number;
  updatedAt: number;
  trashedAt: number | null;
  /** The folder path the asset was deleted from; restore returns it there. */
  trashedFrom: string | null;
  trashKey: string | null;
  /**
   * The container as the probe read it (mediainfo's name: `MXF`, `JPEG`), whatever the name
   * says; a name that disagrees is shown with a warning (`processing/content-name.ts`). Absent
   * on rows made before it.
   */
  contentFormat?: string | null;
}

export const ASSET_SORTS = [
  'name',
  'id',
  'format',
  'state',
  'created',
  'modified',
  'size',
  'duration',
] as const;
export type AssetSort = (typeof ASSET_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

export interface AssetPageQuery {
  folderId: string;
  sort: AssetSort;
  order: SortOrder;
  limit: number;
  /** The sort value and id of the last row of the previous page. */
  after?: { value: string | number | null; id: string };
  /** Rows to skip from the start, in this order: a jump to a position. Not with `after`. */
  offset?: number;
}

/** What a change of a folder's groups applies to. */
export type GroupScope = 'subtree' | 'folder';

export interface FolderRepository {
  getByPath(path: string): Promise<Folder | null>;
  getById(id: string): Promise<Folder | null>;
  getManyByPaths(paths: string[]): Promise<Folder[]>;
  getManyByIds(ids: string[]): Promise<Folder[]>;
  children(parentId: string): Promise<Folder[]>;
  /** The folder at `path` and every folder below it. */
  subtree(path: string): Promise<Folder[]>;
  all(): Promise<Folder[]>;
  insert(folder: Folder, groups: string[]): Promise<void>;
  groupsOf(folderIds: string[]): Promise<Map<string, string[]>>;
  /**
   * Sets a folder's own groups: on the folder and every folder below it (`subtree`), or on the
   * folder alone (`folder`), the folders below keeping theirs.
   */
  setGroups(folderId: string, groups: string[], scope?: GroupScope): Promise<void>;
  /** Each folder's effective groups (its own, narrowed by every folder above; `*` on the root). */
  accessOf(folderIds: string[]): Promise<Map<string, string[]>>;
  /** The subset of `folderIds` open to `scope` (a folder's own groups and every folder's above it). */
  visibleIds(folderIds: string[], scope: AccessScope): Promise<Set<string>>;
  /** Rewrites the paths of `fromPath` and its subtree to lie under `toPath`. */
  movePaths(fromPath: string, toPath: string, newParentId: string, now: number): Promise<void>;
  delete(ids: string[]): Promise<void>;
}

export interface AssetRepository {
  get(id: string): Promise<Asset | null>;
  getMany(ids: string[]): Promise<Asset[]>;
  findLive(folderId: string, name: string): Promise<Asset | null>;
  /** Live assets of a folder whose name key (`sortName`, see lib/paths `nameKey`) is `key`. */
  findLiveByKey(folderId: string, key: string): Promise<Asset[]>;
  /** Of these (folder, name key) pairs, those that more than one live asset holds: `${folderId}\0${key}`. */
  twinKeys(pairs: Array<{ folderId: string; sortName: string }>): Promise<Set<string>>;
  page(query: AssetPageQuery): Promise<Asset[]>;
  countLive(folderId: string): Promise<number>;
  countLiveInFolders(folderIds: string[]): Promise<number>;
  liveInFolders(folderIds: string[]): Promise<Asset[]>;
  insert(asset: Asset): Promise<void>;
  /** Skips rows whose folder and name a live asset already holds (a concurrent index won); returns the ids inserted. */
  insertMany(assets: Asset[]): Promise<string[]>;
  update(id: string, patch: Partial<Omit<Asset, 'id'>>): Promise<void>;
  delete(ids: string[]): Promise<void>;
  /** Trashed assets, newest first; with a scope, only those from folders it may see. */
  trashed(scope?: AccessScope): Promise<Asset[]>;
  /** One page of the trash, newest first (then by id, descending), strictly after `before`. */
  trashedPage(scope: AccessScope, limit: number, before?: { at: number; id: string }): Promise<Asset[]>;
  /** Every live asset, in pages, for reconcile. */
  scanLive(afterId: string | null, limit: number): Promise<Asset[]>;
}

export interface AuditEntry {
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  detail?: Record<string, unknown> | null;
  address?: string | null;
}

export interface AuditRecord extends Required<Omit<AuditEntry, 'detail'>> {
  id: string;
  at: number;
  detail: Record<string, unknown> | null;
}

export interface AuditFilter {
  since?: number;
  until?: number;
  /** An action, or a prefix ending in `*` (`auth.*`). */
  action?: string;
  /** An actor's id or username. */
  actor?: string;
  /** An actor's id only. */
  actorId?: string;
  /** Keyset paging: entries strictly older than this one (newest first). */
  before?: { at: number; id: string };
  /** Oldest first, strictly after this entry (exports). */
  ascending?: boolean;
  after?: { at: number; id: string };
  limit: number;
}

export interface AuditRepository {
  record(entry: AuditEntry & { at: number }): Promise<void>;
  /** Newest first, unless `ascending`. */
  list(filter: AuditFilter): Promise<AuditRecord[]>;
}

export interface SettingEntry {
  key: string;
  value: string;
  updatedAt: number;
  updatedBy: string | null;
}

export interface SettingsRepository {
  get(key: string): Promise<string | null>;
  /** The entries saved under these keys (missing keys are left out). */
  entries(keys: string[]): Promise<SettingEntry[]>;
  set(key: string, value: string, now: number, by?: string): Promise<void>;
}

/** A derivative's name: one object each in the derived store, under the asset's id. */
export type DerivativeKind =
  | 'thumbnail'
  | 'proxy'
  | 'filmstrip'
  | 'filmstrip.vtt'
  | 'waveform'
  /** One audio track of the proxy on its own (1-based), for a player to solo it. */
  | `audio.${number}`;

export interface Derivative {
  assetId: string;
  kind: DerivativeKind;
  /** Key in the derived store. */
  key: string;
  contentType: string;
  size: number;
  createdAt: number;
}

/** What the probe found: the normalised record plus each tool's own output. */
export interface StoredMetadata {
  assetId: string;
  /** The lake object's etag when probed: derivatives are made only from the content probed. */
  etag: string;
  record: Omit<TechnicalMetadata, 'raw'>;
  raw: TechnicalMetadata['raw'];
  probedAt: number;
}

export type TaskState = 'queued' | 'running' | 'done' | 'failed';

/** One derivative job planned for an asset's current content. */
export interface ProcessingTask {
  assetId: string;
  job: string;
  state: TaskState;
  error: string | null;
  updatedAt: number;
}

export interface ProcessingRepository {
  saveMetadata(metadata: StoredMetadata): Promise<void>;
  getMetadata(assetId: string): Promise<StoredMetadata | null>;
  /** The normalised records of these assets (not the tools' raw output), for exports of many. */
  metadataRecords(assetIds: string[]): Promise<Map<string, StoredMetadata['record']>>;
  putDerivative(derivative: Derivative): Promise<void>;
  getDerivative(assetId: string, kind: DerivativeKind): Promise<Derivative | null>;
  derivatives(assetIds: string[]): Promise<Derivative[]>;
  deleteDerivatives(assetId: string, kinds: DerivativeKind[]): Promise<void>;
  /** Replaces the asset's tasks with these jobs, all queued. */
  planTasks(assetId: string, jobs: string[], now: number): Promise<void>;
  setTask(assetId: string, job: string, state: TaskState, error: string | null, now: number): Promise<void>;
  tasks(assetId: string): Promise<ProcessingTask[]>;
  /** Metadata, derivative rows and tasks of assets deleted for good. */
  forget(assetIds: string[]): Promise<void>;
}

/** A step that changes the lake and then the catalog (see features/indexing/lake-intents.ts). */
export type LakeIntentKind =
  | 'trash'
  | 'restore'
  | 'rename'
  | 'move'
  | 'folder.move'
  | 'folder.create'
  | 'import'
  | 'upload';

export interface LakeIntent {
  id: string;
  kind: LakeIntentKind;
  assetId: string | null;
  /** Lake key before the step; a folder's key (no trailing slash) for a folder move. */
  fromKey: string;
  /** Lake key after the step. */
  toKey: string;
  /** What the kind needs to finish the step (names, folder paths, who asked). */
  detail: Record<string, unknown>;
  /** The process that wrote it (host, pid and run), so another knows whether it may settle it. */
  owner: string;
  createdAt: number;
}

export interface LakeIntentRepository {
  add(intent: LakeIntent): Promise<void>;
  remove(id: string): Promise<void>;
  /** Every intent; there is one per step under way, so few. */
  all(): Promise<LakeIntent[]>;
}

export interface Catalog {
  folders: FolderRepository;
  assets: AssetRepository;
  audit: AuditRepository;
  settings: SettingsRepository;
  users: UserRepository;
  groups: GroupRepository;
  sessions: SessionRepository;
  apiTokens: ApiTokenRepository;
  signInAttempts: SignInAttemptRepository;
  signInChallenges: SignInChallengeRepository;
  recoveryCodes: RecoveryCodeRepository;
  processing: ProcessingRepository;
  intents: LakeIntentRepository;
  /** Logging fields (camera, reel, scene, take, …) and the deployment's custom fields. */
  logs: AssetLogRepository;
  /** Notes on assets (comments at a frame or a range). */
  notes: NoteRepository;
  sequences: SequenceRepository;
  looks: FolderLookRepository;
  /** Runs `work` in one transaction; the catalog it receives is bound to it. */
  transaction<T>(work: (catalog: Catalog) => Promise<T>): Promise<T>;
}
