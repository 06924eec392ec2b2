import type { Readable } from 'node:stream';

/** One object in a store. `key` is relative to the store's root, `/`-separated, no leading slash. */
export interface StoredObject {
  key: string;
  size: number;
  /** fs: `${size}-${mtimeMs}`; S3: the ETag without quotes. Compared by reconcile to notice changes. */
  etag: string;
  /** Last modification, epoch milliseconds. */
  mtime: number;
  /**
   * Set when the entry is one Dailies lists but will not read (fs: a symbolic link, which it
   * never follows): why, as a person reads it. Indexed as a failed asset with this reason.
   */
  unsupported?: string;
}

export interface ListPage {
  objects: StoredObject[];
  /** Present when there are more objects; pass it back to get the next page. */
  cursor?: string;
}

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

export interface WriteOptions {
  contentType?: string;
  /** Size when known (lets S3 choose a single PUT for small bodies). */
  size?: number;
}

export interface SignedUrlOptions {
  expiresInSeconds: number;
  /** Suggested file name for Content-Disposition: attachment. */
  downloadName?: string;
}

/**
 * Where bytes live: the content lake and the derivative store are both object stores,
 * a directory (fs) or an S3 bucket with an optional prefix.
 *
 * Writes are atomic: a reader never sees a partly written object under its final key
 * (fs: a staging file then rename; S3: PUT or completed multipart upload).
 */
export interface ObjectStore {
  readonly kind: 'fs' | 's3';
  /** Human-readable location, e.g. `/srv/lake` or `s3://bucket/prefix`. */
  describe(): string;
  /** Throws a StorageError with a readable message when the store cannot be reached or written. */
  check(): Promise<void>;

  head(key: string): Promise<StoredObject | null>;
  /** Recursive listing under `prefix` (a key prefix, '' for all), sorted by key, paged. */
  list(prefix: string, options?: { cursor?: string; limit?: number }): Promise<ListPage>;
  /** Convenience over `list`: every object under `prefix`. */
  listAll(prefix: string): AsyncIterable<StoredObject>;

  read(key: string, range?: ByteRange): Promise<Readable>;
  write(key: string, body: Readable | Buffer, options?: WriteOptions): Promise<StoredObject>;
  /** Server-side copy (S3: CopyObject, multipart UploadPartCopy past 5 GB). Refuses to overwrite unless asked. */
  copy(fromKey: string, toKey: string): Promise<StoredObject>;
  /** fs: rename; S3: copy then delete. */
  move(fromKey: string, toKey: string): Promise<StoredObject>;
  /**
   * Moves every object and empty folder under folder `fromPath` to `toPath` (fs: one directory
   * rename; S3: copy then delete each object). Refuses when `toPath` exists.
   */
  moveFolder(fromPath: string, toPath: string, onProgress?: (done: number) => void): Promise<void>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Every object under the prefix. */
  deletePrefix(prefix: string): Promise<void>;

  /** A folder that exists in the store even when empty: fs directory, S3 zero-byte `path/` marker. */
  createFolder(path: string): Promise<void>;
  deleteFolder(path: string): Promise<void>;
  /** True when the folder exists as a directory or marker, or holds any object. */
  folderExists(path: string): Promise<boolean>;
  /** Folder paths (keys without trailing slash) that exist as directories or markers under prefix. */
  listFolders(prefix: string): AsyncIterable<string>;

  /**
   * A URL a browser can fetch directly (S3 presigned GET). `null` when the store cannot
   * mint one (fs): the server then serves the bytes through its own HMAC-signed URL.
   */
  signedUrl(key: string, options: SignedUrlOptions): Promise<string | null>;

  /** fs only: calls back with keys that changed under the root. Returns a stop function. */
  watch?(
    onChange: (change: { key: string; type: 'upsert' | 'delete' | 'folder' }) => void,
  ): () => Promise<void>;

  /** Absolute local path of a key when the store is a directory (lets ffmpeg read in place). */
  localPath?(key: string): string;

  /**
   * Removes the store's own temporaries (a write or copy cut short by a crash, before it was
   * published): at once when their writer is known to be gone, else once not modified for
   * `olderThanMs` (the store's default when omitted); returns how many. Stores that leave none
   * omit it.
   */
  sweepTemporaries?(olderThanMs?: number): Promise<number>;
}

/** Where the upload server writes temporary data (tus) for a store. */
export type StoreLocation = { kind: 'fs'; root: string } | { kind: 's3'; bucket: string; prefix: string };
