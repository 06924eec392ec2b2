import type { Readable } from 'node:stream';
import type {
  ByteRange,
  ListPage,
  ObjectStore,
  SignedUrlOptions,
  StoredObject,
  WriteOptions,
} from '../../ports/object-store.js';

type WatchListener = Parameters<NonNullable<ObjectStore['watch']>>[0];

/**
 * The lake every service holds: it forwards to the store in use, which the settings page can
 * swap while the server runs. A watcher follows the swap (stops on the old store, starts on
 * the new one when it can be watched).
 */
export class SwitchableObjectStore implements ObjectStore {
  private readonly watchers = new Set<{ listener: WatchListener; stop: (() => Promise<void>) | null }>();
  private readonly swapListeners = new Set<(store: ObjectStore) => void>();

  constructor(private store: ObjectStore) {}

  get current(): ObjectStore {
    return this.store;
  }

  get kind(): ObjectStore['kind'] {
    return this.store.kind;
  }

  /** Present only while the store in use is a directory, so callers still ask before using it. */
  get localPath(): ((key: string) => string) | undefined {
    const store = this.store;
    return store.localPath ? (key) => store.localPath!(key) : undefined;
  }

  async sweepTemporaries(olderThanMs?: number): Promise<number> {
    return this.store.sweepTemporaries ? this.store.sweepTemporaries(olderThanMs) : 0;
  }

  swap(next: ObjectStore): void {
    const previous = this.store;
    this.store = next;
    for (const watcher of this.watchers) {
      const stop = watcher.stop;
      void stop?.().catch(() => {});
      watcher.stop = next.watch ? next.watch(watcher.listener) : null;
    }
    if (previous !== next) for (const listener of this.swapListeners) listener(next);
  }

  /** Calls back after each swap (the upload staging follows the lake). */
  onSwap(listener: (store: ObjectStore) => void): () => void {
    this.swapListeners.add(listener);
    return () => this.swapListeners.delete(listener);
  }

  watch(listener: WatchListener): () => Promise<void> {
    const watcher = { listener, stop: this.store.watch ? this.store.watch(listener) : null };
    this.watchers.add(watcher);
    return async () => {
      this.watchers.delete(watcher);
      await watcher.stop?.();
    };
  }

  describe(): string {
    return this.store.describe();
  }
  check(): Promise<void> {
    return this.store.check();
  }
  head(key: string): Promise<StoredObject | null> {
    return this.store.head(key);
  }
  list(prefix: string, options?: { cursor?: string; limit?: number }): Promise<ListPage> {
    return this.store.list(prefix, options);
  }
  listAll(prefix: string): AsyncIterable<StoredObject> {
    return this.store.listAll(prefix);
  }
  read(key: string, range?: ByteRange): Promise<Readable> {
    return this.store.read(key, range);
  }
  write(key: string, body: Readable | Buffer, options?: WriteOptions): Promise<StoredObject> {
    return this.store.write(key, body, options);
  }
  copy(fromKey: string, toKey: string): Promise<StoredObject> {
    return this.store.copy(fromKey, toKey);
  }
  move(fromKey: string, toKey: string): Promise<StoredObject> {
    return this.store.move(fromKey, toKey);
  }
  moveFolder(fromPath: string, toPath: string, onProgress?: (done: number) => void): Promise<void> {
    return this.store.moveFolder(fromPath, toPath, onProgress);
  }
  delete(key: string): Promise<void> {
    return this.store.delete(key);
  }
  deletePrefix(prefix: string): Promise<void> {
    return this.store.deletePrefix(prefix);
  }
  createFolder(path: string): Promise<void> {
    return this.store.createFolder(path);
  }
  deleteFolder(path: string): Promise<void> {
    return this.store.deleteFolder(path);
  }
  folderExists(path: string): Promise<boolean> {
    return this.store.folderExists(path);
  }
  listFolders(prefix: string): AsyncIterable<string> {
    return this.store.listFolders(prefix);
  }
  signedUrl(key: string, options: SignedUrlOptions): Promise<string | null> {
    return this.store.signedUrl(key, options);
  }
}
