import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import {
  access,
  constants,
  copyFile,
  link,
  mkdir,
  readdir,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
} from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Conflict, InsufficientStorage, Invalid, NotFound, StorageError } from '../../lib/errors.js';
import { RESERVED_PREFIX } from '../../lib/paths.js';
import type {
  ByteRange,
  ListPage,
  ObjectStore,
  StoredObject,
  WriteOptions,
} from '../../ports/object-store.js';
import { watchDirectory } from './fs-watcher.js';

/** Staging files live inside the root so the final rename never crosses a filesystem. */
const STAGING_DIR = `${RESERVED_PREFIX}staging`;
/** How many stat calls a listing keeps in flight. */
const STAT_BATCH = 256;

/** A directory as an object store. Keys map to files under the root; nothing escapes it. */
export class FsObjectStore implements ObjectStore {
  readonly kind = 'fs' as const;
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  describe(): string {
    return this.root;
  }

  async check(): Promise<void> {
    try {
      await mkdir(this.root, { recursive: true });
      await access(this.root, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw new StorageError(`The directory ${this.root} cannot be used: ${(error as Error).message}`, error);
    }
  }

  localPath(key: string): string {
    const path = resolve(this.root, key);
    if (path !== this.root && !path.startsWith(this.root + sep)) {
      throw new Invalid(`The key "${key}" would leave the store.`);
    }
    return path;
  }

  async head(key: string): Promise<StoredObject | null> {
    try {
      const info = await stat(this.localPath(key));
      return info.isFile() ? toObject(key, info.size, info.mtimeMs) : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw storageError(error, `read ${key}`);
    }
  }

  async list(prefix: string, options: { cursor?: string; limit?: number } = {}): Promise<ListPage> {
    const limit = options.limit ?? 1000;
    const objects: StoredObject[] = [];
    for await (const object of this.walk(prefix, options.cursor)) {
      if (objects.length === limit) return { objects, cursor: objects[objects.length - 1].key };
      objects.push(object);
    }
    return { objects };
  }

  async *listAll(prefix: string): AsyncIterable<StoredObject> {
    yield* this.walk(prefix);
  }

  /** Depth-first walk in key order, skipping Dailies' own directories and keys up to `after`. */
  private async *walk(prefix: string, after?: string): AsyncIterable<StoredObject> {
    const startDir = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    yield* this.walkDir(startDir, prefix, after);
  }

  private async *walkDir(dirKey: string, prefix: string, after?: string): AsyncIterable<StoredObject> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(this.localPath(dirKey), { withFileTypes: true });
    } catch (error) {
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw storageError(error, `list ${dirKey || '/'}`);
    }
    // Sort by key order: a directory sorts as `name/`.
    const named = entries
      .filter((e) => !(dirKey === '' && e.name.startsWith(RESERVED_PREFIX)))
      .map((e) => ({ entry: e, sortKey: e.isDirectory() ? `${e.name}/` : e.name }))
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    // Files of one directory are stat'ed together: a lake of 100,000 files lists in seconds.
    const wanted = named.filter(({ entry }) => {
      const key = dirKey ? `${dirKey}/${entry.name}` : entry.name;
      return entry.isFile() && key.startsWith(prefix) && (!after || key > after);
    });
    const stats = new Map<string, Promise<import('node:fs').Stats | null>>();
    const statAhead = (from: number) => {
      for (const { entry } of wanted.slice(from, from + STAT_BATCH)) {
        const key = dirKey ? `${dirKey}/${entry.name}` : entry.name;
        stats.set(
          key,
          stat(this.localPath(key)).catch(() => null),
        );
      }
    };
    let next = 0;
    for (const { entry } of named) {
      const key = dirKey ? `${dirKey}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        const dirPrefix = `${key}/`;
        if (!(dirPrefix.startsWith(prefix) || prefix.startsWith(dirPrefix))) continue;
        if (after && after >= dirPrefix && !after.startsWith(dirPrefix)) continue;
        yield* this.walkDir(key, prefix, after);
      } else if (entry.isFile() && key.startsWith(prefix) && (!after || key > after)) {
        if (!stats.has(key)) {
          statAhead(next);
          next += STAT_BATCH;
        }
        const info = await stats.get(key)!;
        stats.delete(key);
        if (info) yield toObject(key, info.size, info.mtimeMs);
      }
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.localPath(key);
    const info = await stat(path).catch((error) => {
      if (isMissing(error)) throw new NotFound(`"${key}" is not in the store.`);
      throw storageError(error, `read ${key}`);
    });
    if (!info.isFile()) throw new NotFound(`"${key}" is not in the store.`);
    // 1 MiB reads: fewer, larger chunks for copies and downloads of big originals.
    return createReadStream(path, {
      highWaterMark: 1024 * 1024,
      ...(range ? { start: range.start, end: range.end } : {}),
    });
  }

  async write(key: string, body: Readable | Buffer, _options?: WriteOptions): Promise<StoredObject> {
    const staging = await this.stagingPath();
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(staging));
      return await this.publish(staging, key);
    } catch (error) {
      await rm(staging, { force: true });
      throw storageError(error, `write ${key}`);
    }
  }

  /** Moves a finished staging file into place: atomic, and never over an existing object. */
  async publish(stagingFile: string, key: string): Promise<StoredObject> {
    const target = this.localPath(key);
    await mkdir(dirname(target), { recursive: true });
    // link() fails with EEXIST instead of replacing, so a concurrent writer is never overwritten.
    try {
      await link(stagingFile, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Conflict(`"${key}" already exists.`);
      throw error;
    }
    await unlink(stagingFile);
    const info = await stat(target);
    return toObject(key, info.size, info.mtimeMs);
  }

  /** A fresh staging file path on the same filesystem as the root. */
  async stagingPath(): Promise<string> {
    const dir = join(this.root, STAGING_DIR);
    await mkdir(dir, { recursive: true });
    return join(dir, randomUUID());
  }

  async copy(fromKey: string, toKey: string): Promise<StoredObject> {
    const source = this.localPath(fromKey);
    if (!(await this.head(fromKey))) throw new NotFound(`"${fromKey}" is not in the store.`);
    const staging = await this.stagingPath();
    try {
      await copyFile(source, staging);
      return await this.publish(staging, toKey);
    } catch (error) {
      await rm(staging, { force: true });
      throw storageError(error, `copy ${fromKey}`);
    }
  }

  async move(fromKey: string, toKey: string): Promise<StoredObject> {
    const source = this.localPath(fromKey);
    const target = this.localPath(toKey);
    if (!(await this.head(fromKey))) throw new NotFound(`"${fromKey}" is not in the store.`);
    if (await exists(target)) throw new Conflict(`"${toKey}" already exists.`);
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(source, target);
    } catch (error) {
      throw storageError(error, `move ${fromKey}`);
    }
    const info = await stat(target);
    return toObject(toKey, info.size, info.mtimeMs);
  }

  async moveFolder(fromPath: string, toPath: string): Promise<void> {
    const source = this.localPath(fromPath);
    const target = this.localPath(toPath);
    if (!(await exists(source))) throw new NotFound(`The folder "${fromPath}" is not in the store.`);
    if (await exists(target)) throw new Conflict(`"${toPath}" already exists.`);
    await mkdir(dirname(target), { recursive: true });
    await rename(source, target).catch((error) => {
      throw storageError(error, `move folder ${fromPath}`);
    });
  }

  async delete(key: string): Promise<void> {
    await rm(this.localPath(key), { force: true }).catch((error) => {
      throw storageError(error, `delete ${key}`);
    });
  }

  async deletePrefix(prefix: string): Promise<void> {
    for await (const object of this.listAll(prefix)) await this.delete(object.key);
    if (prefix.endsWith('/')) await rm(this.localPath(prefix.slice(0, -1)), { recursive: true, force: true });
  }

  async createFolder(path: string): Promise<void> {
    await mkdir(this.localPath(path), { recursive: true }).catch((error) => {
      throw storageError(error, `create folder ${path}`);
    });
  }

  async deleteFolder(path: string): Promise<void> {
    // Only empty directories: the lake is the source of truth, so content is never dropped here.
    await rmdir(this.localPath(path)).catch((error) => {
      if (isMissing(error)) return;
      if ((error as NodeJS.ErrnoException).code === 'ENOTEMPTY') {
        throw new Conflict(`The folder "${path}" still holds files in the lake.`);
      }
      throw storageError(error, `delete folder ${path}`);
    });
  }

  async sweepTemporaries(olderThanMs: number): Promise<number> {
    const dir = join(this.root, STAGING_DIR);
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const info = await stat(join(dir, name)).catch(() => null);
      if (!info || info.mtimeMs > cutoff) continue;
      await rm(join(dir, name), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  async folderExists(path: string): Promise<boolean> {
    const info = await stat(this.localPath(path)).catch(() => null);
    return info?.isDirectory() ?? false;
  }

  async *listFolders(prefix: string): AsyncIterable<string> {
    const start = prefix.replace(/\/$/, '');
    const stack = [start];
    while (stack.length > 0) {
      const dirKey = stack.pop()!;
      const entries = await readdir(this.localPath(dirKey), { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (!entry.isDirectory() || (dirKey === '' && entry.name.startsWith(RESERVED_PREFIX))) continue;
        const key = dirKey ? `${dirKey}/${entry.name}` : entry.name;
        yield key;
        stack.push(key);
      }
    }
  }

  async signedUrl(): Promise<string | null> {
    return null;
  }

  watch(
    onChange: (change: { key: string; type: 'upsert' | 'delete' | 'folder' }) => void,
  ): () => Promise<void> {
    return watchDirectory(this.root, (absolute, type) => {
      const key = relative(this.root, absolute).split(sep).join('/');
      if (key === '' || key.startsWith(RESERVED_PREFIX)) return;
      onChange({ key, type });
    });
  }
}

function toObject(key: string, size: number, mtimeMs: number): StoredObject {
  const mtime = Math.floor(mtimeMs);
  return { key, size, etag: `${size}-${mtime}`, mtime };
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function storageError(error: unknown, doing: string): Error {
  if (error instanceof Conflict || error instanceof NotFound || error instanceof Invalid) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new InsufficientStorage(`The lake is full: could not ${doing}.`);
  return new StorageError(`Storage failed to ${doing}: ${(error as Error)?.message ?? error}`, error);
}
