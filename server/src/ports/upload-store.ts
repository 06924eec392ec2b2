import type { DataStore } from '@tus/server';
import type { Checksums } from '../lib/checksums.js';
import type { StoredObject } from './object-store.js';

/** An upload as staged in the lake: what the client sent so far and what it declared. */
export interface StagedUpload {
  id: string;
  /** Undefined while the client defers the length. */
  size?: number;
  offset: number;
  metadata: Record<string, string | null>;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Already made an object in the lake; kept only so a late HEAD still reports it complete. */
  published: boolean;
}

/**
 * Where resumable uploads (tus) stage their bytes: inside the lake store, under a
 * `.dailies-` prefix that listings and the watcher skip, so the finished object is published
 * without crossing a filesystem or leaving the bucket.
 */
export interface UploadStore {
  /** The tus data store; it checksums the bytes as they pass. */
  readonly datastore: DataStore;
  /**
   * Publishing copies the bytes (S3 has no rename: a server-side copy, seconds for hundreds of
   * MB) rather than linking them (fs). A large upload is then published after its last PATCH
   * has been acknowledged, so that PATCH is no longer than the others.
   */
  readonly publishCopies: boolean;
  /** A fresh upload id (the store's own name for the staged data). */
  newId(): string;
  /** The URL-safe token naming an upload in `/api/uploads/<token>`. */
  tokenOf(id: string): string;
  /** The upload id behind a token, or undefined when the token is not one of ours. */
  idFromToken(token: string): string | undefined;

  get(id: string): Promise<StagedUpload | null>;
  /** Every upload staged now, finished or not. */
  list(): Promise<StagedUpload[]>;
  /**
   * xxHash64 and MD5 of a finished upload: the running hash when every byte went through this
   * process in order, otherwise computed from the staged bytes.
   */
  checksums(id: string): Promise<Checksums>;
  /**
   * Makes a finished upload the object at `key`, atomically and never over an existing object
   * (Conflict), then removes its staging data (a small published marker stays until expiry).
   */
  publish(id: string, key: string): Promise<StoredObject>;
  /**
   * Records that the upload's object was published (a crash came between the publish and its
   * marker): what staging data is left goes, and the upload answers as published until expiry.
   */
  markPublished(id: string): Promise<void>;
  /** Drops an upload's staging data; a missing upload is not an error. */
  discard(id: string): Promise<void>;
  /**
   * Removes uploads older than the expiry (unfinished ones, published markers, debris left by a
   * crash), except those `busy` says are being finished. Returns how many.
   */
  deleteExpired(busy?: (id: string) => boolean): Promise<number>;
  /** Throws InsufficientStorage when the store reports less free space than `bytes` (fs only). */
  ensureRoom?(bytes: number): Promise<void>;
}
