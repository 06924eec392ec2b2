import type { Readable } from 'node:stream';

/** A file on an edit volume. `path` is relative to the volume root, `/`-separated, no leading slash. */
export interface VolumeFile {
  path: string;
  size: number;
  /** Last modification, epoch milliseconds. */
  mtime: number;
}

export interface VolumeEntry extends VolumeFile {
  name: string;
  type: 'file' | 'folder';
}

/**
 * What a copy writes: a stream, or a file on the server's own disks (an fs lake's object),
 * which the kernel copies without the bytes passing through the process.
 */
export type VolumeSource = { stream: AsyncIterable<Uint8Array> } | { file: string };

/** Follows a copy to a volume. */
export interface CopyWatcher {
  /** Bytes written so far (for progress); not every step is reported. */
  written?(bytes: number): void;
  /** Every byte the volume holds after the flush, in order; `bytes` is valid only during the call. */
  readBack(bytes: Uint8Array): void;
}

/**
 * An edit volume: a directory the server host mounts (SMB, NFS, SAN). Dailies' own files on it
 * (temporary copies, the mount marker) begin with `.dailies-` and are never listed.
 */
export interface Volume {
  readonly id: string;
  /** Where it is mounted on the server, e.g. `/mnt/edit`. */
  describe(): string;
  /** Throws a StorageError naming what is wrong when the volume is not mounted or not writable. */
  check(): Promise<void>;
  /**
   * True when the volume holds the marker Dailies leaves at its root on first write; a
   * mount point without it (an empty directory) is not mistaken for a volume whose files vanished.
   */
  hasMarker(): Promise<boolean>;
  stat(path: string): Promise<VolumeFile | null>;
  /**
   * `path` spelled as the volume holds it (a share that ignores case answers `day 01` for
   * `Day 01`): what access checks compare. Null when nothing is there (a link on the way included).
   */
  canonicalPath(path: string): Promise<string | null>;
  read(path: string): Promise<Readable>;
  /**
   * Writes `source` to a hidden temporary file beside `path` (named by `tag`, so a retry
   * reuses it) and flushes it to stable storage. Every byte is read back from the volume after
   * it was flushed and handed to `copy.readBack`, in order (valid only during the call), before
   * this resolves: the caller verifies what the volume holds. Returns the temporary file's path.
   */
  writeTemp(path: string, tag: string, source: VolumeSource, copy: CopyWatcher): Promise<string>;
  /**
   * Gives a temporary file its final name. Never replaces a file: throws an error with
   * `code: 'EEXIST'` when `path` exists.
   */
  commit(tempPath: string, path: string): Promise<VolumeFile>;
  /**
   * Removes the temporary `writeTemp` keeps beside `path` for `tag`, if one is there (a copy
   * killed between placing the file and removing its temporary).
   */
  discardTemp(path: string, tag: string): Promise<void>;
  /** Deleting a missing file is not an error. */
  delete(path: string): Promise<void>;
  /** Removes `path` when it is an empty folder; anything else (a file, a folder with files, nothing) is left. */
  removeEmptyFolder(path: string): Promise<void>;
  /** Files and folders directly in `folder` ('' for the root). */
  list(folder: string): Promise<VolumeEntry[]>;
  /** Every file under `folder`, recursively. */
  walk(folder: string): AsyncIterable<VolumeFile>;
  /** Dailies' temporary files anywhere on the volume: copies under way or left by a killed one, write probes. */
  temporaries(): AsyncIterable<VolumeTemporary>;
}

/** A temporary file of Dailies' own on a volume, recognised by its name. */
export interface VolumeTemporary {
  path: string;
  /** The one given to `writeTemp` (the asset id), null for a write probe. */
  tag: string | null;
  /** Last written, epoch milliseconds. */
  mtime: number;
  /** Written by a process of this host that no longer runs: nobody will finish it. */
  orphaned: boolean;
}

/** Where a verified copy of an asset is on a volume, as Dailies wrote it. */
export interface AssetLocation {
  assetId: string;
  volumeId: string;
  path: string;
  xxh64: string;
  size: number;
  mtime: number;
  copiedAt: number;
  /** `changed`: the file on the volume no longer has the bytes Dailies wrote. */
  state: 'verified' | 'changed';
  /**
   * An image sequence's copy: `path` is the folder named for the sequence and these are the
   * frame files Dailies wrote in it (`xxh64` and `size` above are over all of them: the digest
   * of their names and checksums, their total). Absent or null for a copy that is one file.
   */
  frames?: LocationFrame[] | null;
}

/** One frame file of a sequence's copy, as Dailies wrote and verified it. */
export interface LocationFrame {
  name: string;
  xxh64: string;
  size: number;
  mtime: number;
}

export interface LocationRepository {
  get(assetId: string, volumeId: string): Promise<AssetLocation | null>;
  forAssets(assetIds: string[]): Promise<AssetLocation[]>;
  /** The locations recorded at these paths of one volume. */
  atPaths(volumeId: string, paths: string[]): Promise<AssetLocation[]>;
  /** Every location on a volume, in pages by asset id. */
  page(volumeId: string, afterAssetId: string | null, limit: number): Promise<AssetLocation[]>;
  put(location: AssetLocation): Promise<void>;
  update(
    assetId: string,
    volumeId: string,
    patch: Partial<Pick<AssetLocation, 'size' | 'mtime' | 'state' | 'xxh64' | 'frames'>>,
  ): Promise<void>;
  delete(assetId: string, volumeId: string): Promise<void>;
}
