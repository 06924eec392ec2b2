/** Storage figures: sums kept by the catalog, lists of what could be cleaned up, the daily record. */
import type { AccessScope, Asset } from './catalog.js';

/** `asset`: originals (label: kind); `derived`: derivatives (label: its kind); `volume`: copies (label: volume id). */
export type StoragePart = 'asset' | 'derived' | 'volume';

export interface StorageSum {
  folderId: string;
  part: StoragePart;
  label: string;
  /** The asset's format for `asset`; '' otherwise. */
  format: string;
  trashed: boolean;
  assets: number;
  bytes: number;
}

export interface StorageFolder {
  id: string;
  path: string;
  parentId: string | null;
}

/** A group of live assets with the same xxHash64 and size. */
export interface DuplicateGroup {
  checksum: string;
  size: number;
  assets: Asset[];
}

/** A verified or changed copy on a volume, with the asset it copies. */
export interface VolumeCopy {
  assetId: string;
  volumeId: string;
  path: string;
  size: number;
  /** The file's time on the volume (as the last copy or drift scan saw it). */
  mtime: number;
  asset: Asset;
}

/** Every live asset of a folder has a copy on this volume and none was touched since `lastTouched`. */
export interface IdleFolder {
  folderId: string;
  volumeId: string;
  assets: number;
  bytes: number;
  lastTouched: number;
}

/** A list with its full count and size (the page shows the first rows, the total is what it saves). */
export interface Listed<T> {
  items: T[];
  total: number;
  bytes: number;
}

export interface DailyFigure {
  /** YYYY-MM-DD, UTC. */
  day: string;
  /** The groups that may see these folders, sorted, joined by ','; `*` is everyone. */
  accessKey: string;
  assets: number;
  bytes: number;
  trashedBytes: number;
  derivedBytes: number;
  volumeBytes: number;
}

/** A sum of a folder's subtree, by the child folder it lies in ('' the folder itself; null a deleted folder's trash). */
export interface SubtreeSum extends Omit<StorageSum, 'folderId'> {
  child: string | null;
}

export interface ChildFolder {
  id: string;
  path: string;
  /** Whether visible folders lie below it. */
  hasChildren: boolean;
}

export interface StorageRepository {
  /**
   * The sums of the subtree at `folder`, added up in the catalog by child folder, part, label,
   * format and trashed: only folders `scope` may see count. At the root, the trash of deleted
   * folders (their access is kept) comes with child null.
   */
  subtreeSums(scope: AccessScope, folder: { id: string; path: string }): Promise<SubtreeSum[]>;
  /** The visible folders directly in `folderId`. */
  childFolders(scope: AccessScope, folderId: string): Promise<ChildFolder[]>;
  /** The sums per folder, exact: folded sums plus changes not folded yet; only folders `scope` may see. */
  sums(scope: AccessScope): Promise<StorageSum[]>;
  /** The same figures counted from the assets, derivatives and copies themselves (a `du`). */
  recount(scope: AccessScope): Promise<StorageSum[]>;
  /** Adds the pending changes into the sums; returns how many were folded. */
  fold(): Promise<number>;
  pending(): Promise<number>;
  /** The folders `scope` may see. */
  folders(scope: AccessScope): Promise<StorageFolder[]>;
  /** Each visible folder's effective groups as one key (see DailyFigure.accessKey). */
  accessKeys(): Promise<Map<string, string>>;
  duplicates(scope: AccessScope, limit: number): Promise<Listed<DuplicateGroup>>;
  /** Live assets with this checksum and size that `scope` may see. */
  sameContent(scope: AccessScope, checksum: string, size: number): Promise<Asset[]>;
  idleCopies(scope: AccessScope, before: number, limit: number): Promise<Listed<VolumeCopy>>;
  idleFolders(scope: AccessScope, before: number): Promise<IdleFolder[]>;
  /** Copies on `volumeId` of the live assets of these folders. */
  copiesInFolders(volumeId: string, folderIds: string[]): Promise<VolumeCopy[]>;
  trashedBefore(scope: AccessScope, before: number, limit: number): Promise<Listed<Asset>>;
  failed(scope: AccessScope, limit: number): Promise<Listed<Asset>>;
  writeDay(figures: DailyFigure[]): Promise<void>;
  days(since: string): Promise<DailyFigure[]>;
}
