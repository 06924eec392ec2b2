import { randomUUID } from 'node:crypto';
import { constants, createReadStream, createWriteStream, existsSync, type Stats } from 'node:fs';
import {
  access,
  copyFile,
  type FileHandle,
  link,
  lstat,
  mkdir,
  open,
  readdir,
  realpath,
  rename,
  rmdir,
  unlink,
} from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  Conflict,
  InsufficientStorage,
  Invalid,
  NotFound,
  RangeNotSatisfiable,
  StorageError,
  Unprocessable,
} from '../../lib/errors.js';
import { RESERVED_PREFIX } from '../../lib/paths.js';
import type {
  ByteRange,
  ListPage,
  ObjectStore,
  StoredObject,
  WriteOptions,
} from '../../ports/object-store.js';
import { ContainedTree, isLinkError, LinkInTree, type OpenDir } from '../fs/contained-tree.js';
import { THIS_HOST, writerIsGone } from '../fs/writer.js';
import { watchDirectory } from './fs-watcher.js';

/** Staging files live inside the root so the final rename never crosses a filesystem. */
const STAGING_DIR = `${RESERVED_PREFIX}staging`;
/** How many lstat calls a listing keeps in flight. */
const STAT_BATCH = 256;
/** What a link in the lake is shown as (the asset's failure reason). */
export const LINK_REASON = 'A symbolic link: Dailies does not follow links in the lake.';
const PROC_FD = existsSync('/proc/self/fd');
/**
 * Staging files are named `<host>~<pid>~<uuid>`: one whose writer was a process of this host
 * that no longer runs is debris of a kill, removed at start. Any other is removed once this old.
 */
const STAGING_NAME = /^([A-Za-z0-9-]{1,63})~(\d{1,10})~[0-9a-f-]{36}$/;
const STAGING_MAX_AGE_MS = 24 * 3_600_000;

/**
 * A directory as an object store. Keys map to files under the root; nothing escapes it: no
 * symbolic link below the root is ever followed (ContainedTree), a link is listed as an
 * unsupported object and refused when read.
 */
export class FsObjectStore implements ObjectStore {
  readonly kind = 'fs' as const;
  readonly root: string;
  private readonly tree: ContainedTree;

  constructor(root: string) {
    this.root = resolve(root);
    this.tree = new ContainedTree(this.root);
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

  /**
   * The absolute path of a key, for tools that read in place (ffmpeg, the kernel's copy),
   * checked now to hold no symbolic link below the root: a link is Unprocessable.
   */
  localPath(key: string): string {
    try {
      return this.tree.checkedPathSync(segmentsOf(this.localKey(key)));
    } catch (error) {
      if (isLinkError(error)) throw new Unprocessable(`"${linkOf(error, key)}" is ${LINK_REASON_INLINE}`);
      throw error;
    }
  }

  /** The directory the upload staging lives in, opened (made) inside the lake without following a link. */
  openReservedDir(name: string): Promise<OpenDir> {
    if (!name.startsWith(RESERVED_PREFIX))
      throw new Invalid(`"${name}" is not one of Dailies' own directories.`);
    return this.tree.openDir([name], { create: true }).catch((error) => {
      throw storageError(error, `prepare ${name}`);
    });
  }

  /** The key as a path relative to the root ('' for the root); refuses anything that would leave it. */
  private localKey(key: string): string {
    if (key.includes('\0')) throw new Invalid('A key cannot contain a NUL character.');
    const path = resolve(this.root, key);
    if (path !== this.root && !path.startsWith(this.root + sep)) {
      throw new Invalid(`The key "${key}" would leave the store.`);
    }
    return relative(this.root, path).split(sep).join('/');
  }

  /**
   * What is at `key`, looked at without following a link: lstat of the name, then the real path
   * of its folder, which must be the folder the key names (no link on the way). Only metadata
   * comes back, so this costs two calls rather than a folder opened per segment; every read of
   * the bytes goes through the held folders (`openFile`).
   */
  async head(key: string): Promise<StoredObject | null> {
    const { dir, name } = splitLakeKey(this.localKey(key));
    const folder = join(this.root, ...dir);
    try {
      const info = await lstat(join(folder, name));
      if (dir.length > 0 && (await realpath(folder)) !== join(await this.realRoot(), ...dir)) return null;
      return entryObject(key, info);
    } catch (error) {
      // A folder on the way that is missing, a file or a link: no object there, as the lake is read.
      if (isMissing(error) || isLinkError(error) || isNotDir(error)) return null;
      throw storageError(error, `read ${key}`);
    }
  }

  private realRootPath: Promise<string> | null = null;

  /** The root as the system names it (the root itself may be a link an admin chose). */
  private realRoot(): Promise<string> {
    this.realRootPath ??= realpath(this.root).catch((error) => {
      this.realRootPath = null;
      throw error;
    });
    return this.realRootPath;
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

  /**
   * One directory, held open while its entries are read, so each name is looked up in this very
   * directory: a link is listed as an unsupported object and never entered, even one swapped in
   * for a directory while the walk runs.
   */
  private async *walkDir(dirKey: string, prefix: string, after?: string): AsyncIterable<StoredObject> {
    let dir: OpenDir;
    let entries: import('node:fs').Dirent[];
    try {
      dir = await this.tree.openDir(segmentsOf(this.localKey(dirKey)));
    } catch (error) {
      if (isMissing(error) || isNotDir(error) || isLinkError(error)) return;
      throw storageError(error, `list ${dirKey || '/'}`);
    }
    try {
      try {
        entries = await readdir(dir.path, { withFileTypes: true });
      } catch (error) {
        if (isMissing(error) || isNotDir(error)) return;
        throw storageError(error, `list ${dirKey || '/'}`);
      }
      // Sort by key order: a directory sorts as `name/`.
      const named = entries
        .filter((e) => !(dirKey === '' && e.name.startsWith(RESERVED_PREFIX)))
        .filter((e) => e.isDirectory() || e.isFile() || e.isSymbolicLink())
        .map((e) => ({ entry: e, sortKey: e.isDirectory() ? `${e.name}/` : e.name }))
        .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
      const keyOf = (name: string) => (dirKey ? `${dirKey}/${name}` : name);
      // Files of one directory are looked at together: a lake of 100,000 files lists in seconds.
      const wanted = named.filter(({ entry }) => {
        const key = keyOf(entry.name);
        return !entry.isDirectory() && key.startsWith(prefix) && (!after || key > after);
      });
      const stats = new Map<string, Promise<import('node:fs').Stats | null>>();
      const statAhead = (from: number) => {
        for (const { entry } of wanted.slice(from, from + STAT_BATCH)) {
          stats.set(
            keyOf(entry.name),
            lstat(dir.entry(entry.name)).catch(() => null),
          );
        }
      };
      let next = 0;
      for (const { entry } of named) {
        const key = keyOf(entry.name);
        if (entry.isDirectory()) {
          const dirPrefix = `${key}/`;
          if (!(dirPrefix.startsWith(prefix) || prefix.startsWith(dirPrefix))) continue;
          if (after && after >= dirPrefix && !after.startsWith(dirPrefix)) continue;
          yield* this.walkDir(key, prefix, after);
        } else if (key.startsWith(prefix) && (!after || key > after)) {
          if (!stats.has(key)) {
            statAhead(next);
            next += STAT_BATCH;
          }
          const info = await stats.get(key)!;
          stats.delete(key);
          const object = info && entryObject(key, info);
          if (object) yield object;
        }
      }
    } finally {
      await dir.close().catch(() => {});
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const handle = await this.openFile(key);
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new NotFound(`"${key}" is not in the store.`);
      if (range && (range.start > range.end || range.start >= info.size)) {
        throw new RangeNotSatisfiable(`"${key}" has ${info.size} bytes.`);
      }
    } catch (error) {
      await handle.close().catch(() => {});
      throw storageError(error, `read ${key}`);
    }
    // 1 MiB reads: fewer, larger chunks for copies and downloads of big originals.
    return createReadStream('', {
      fd: handle,
      highWaterMark: 1024 * 1024,
      ...(range ? { start: range.start, end: range.end } : {}),
    });
  }

  /**
   * The object's file, opened without following a link anywhere below the root: a link is an
   * unsupported object (Unprocessable, naming why), a missing one NotFound. Non-blocking, so a
   * named pipe planted in the lake is not waited on; it is then refused as not a file.
   */
  private async openFile(key: string): Promise<FileHandle> {
    const { dir, name } = splitLakeKey(this.localKey(key));
    try {
      return await this.tree.withDir(dir, {}, (open) =>
        openNoFollow(open.entry(name), constants.O_RDONLY | constants.O_NONBLOCK),
      );
    } catch (error) {
      if (isMissing(error) || isNotDir(error)) throw new NotFound(`"${key}" is not in the store.`);
      if (isLinkError(error)) throw new Unprocessable(`"${linkOf(error, key)}" is ${LINK_REASON_INLINE}`);
      throw storageError(error, `read ${key}`);
    }
  }

  async write(key: string, body: Readable | Buffer, _options?: WriteOptions): Promise<StoredObject> {
    const staging = await this.openStaging();
    const name = stagingName();
    try {
      const handle = await openNoFollow(
        staging.entry(name),
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
      );
      await pipeline(
        Buffer.isBuffer(body) ? Readable.from([body]) : body,
        createWriteStream('', { fd: handle }),
      );
      return await this.publish(staging.entry(name), key);
    } catch (error) {
      await unlink(staging.entry(name)).catch(() => {});
      throw storageError(error, `write ${key}`);
    } finally {
      await staging.close().catch(() => {});
    }
  }

  /**
   * Moves a finished staging file into place: atomic, and never over an existing object. The
   * staging path must already be safe (a file of Dailies' own staging, reached without links);
   * the target's folders are made and entered without following a link.
   */
  async publish(stagingFile: string, key: string): Promise<StoredObject> {
    const { dir, name } = splitLakeKey(this.localKey(key));
    try {
      return await this.tree.withDir(dir, { create: true }, async (open) => {
        const target = open.entry(name);
        // link() fails with EEXIST instead of replacing (a link planted there included), so a
        // concurrent writer is never overwritten and nothing is written through a link.
        try {
          await link(stagingFile, target);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EEXIST')
            throw new Conflict(`"${key}" already exists.`);
          throw error;
        }
        await unlink(stagingFile);
        // What now sits there: a staging file swapped for a link before link() is published
        // as that link (link() never follows it), and so shown as unsupported.
        const info = await lstat(target);
        return entryObject(key, info) ?? toObject(key, info.size, info.mtimeMs);
      });
    } catch (error) {
      throw storageError(error, `write ${key}`);
    }
  }

  /** Dailies' staging directory in the lake, opened (made when missing) without following a link. */
  private async openStaging(): Promise<OpenDir> {
    try {
      return await this.tree.openDir([STAGING_DIR], { create: true });
    } catch (error) {
      throw storageError(error, 'prepare its staging directory');
    }
  }

  /**
   * Removes what killed writers left in the staging directory: at once when the writer was a
   * process of this host that no longer runs, else once untouched for `olderThanMs` (a day
   * unless told). Returns how many.
   */
  async sweepTemporaries(olderThanMs = STAGING_MAX_AGE_MS): Promise<number> {
    const now = Date.now();
    let swept = 0;
    await this.tree
      .withDir([STAGING_DIR], {}, async (dir) => {
        for (const name of await readdir(dir.path)) {
          const owner = STAGING_NAME.exec(name);
          const orphaned = owner !== null && writerIsGone(owner[1], Number(owner[2]));
          if (!orphaned) {
            const info = await lstat(dir.entry(name)).catch(() => null);
            if (!info || now - info.mtimeMs < olderThanMs) continue;
          }
          await this.tree.removeEntry(dir, name).catch(() => {});
          swept++;
        }
      })
      .catch((error) => {
        if (!isMissing(error)) throw storageError(error, 'clean its staging directory');
      });
    return swept;
  }

  async copy(fromKey: string, toKey: string): Promise<StoredObject> {
    const source = await this.openFile(fromKey);
    let staging: OpenDir | null = null;
    const name = stagingName();
    try {
      staging = await this.openStaging();
      if (!(await source.stat()).isFile()) throw new NotFound(`"${fromKey}" is not in the store.`);
      // The kernel copies from the descriptor opened above, whatever the path holds by now.
      await copyFile(
        descriptorPath(source, this.localPath(fromKey)),
        staging.entry(name),
        constants.COPYFILE_EXCL,
      );
      return await this.publish(staging.entry(name), toKey);
    } catch (error) {
      if (staging) await unlink(staging.entry(name)).catch(() => {});
      throw storageError(error, `copy ${fromKey}`);
    } finally {
      await source.close().catch(() => {});
      await staging?.close().catch(() => {});
    }
  }

  async move(fromKey: string, toKey: string): Promise<StoredObject> {
    const from = splitLakeKey(this.localKey(fromKey));
    const to = splitLakeKey(this.localKey(toKey));
    if (!(await this.head(fromKey))) throw new NotFound(`"${fromKey}" is not in the store.`);
    try {
      return await this.tree.withDir(from.dir, {}, (source) =>
        this.tree.withDir(to.dir, { create: true }, async (target) => {
          // A link is moved as itself (rename never follows the name it moves); its target is untouched.
          if (
            await lstat(target.entry(to.name)).then(
              () => true,
              () => false,
            )
          )
            throw new Conflict(`"${toKey}" already exists.`);
          await rename(source.entry(from.name), target.entry(to.name));
          const info = await lstat(target.entry(to.name));
          return toObject(toKey, info.size, info.mtimeMs);
        }),
      );
    } catch (error) {
      if (isMissing(error)) throw new NotFound(`"${fromKey}" is not in the store.`);
      throw storageError(error, `move ${fromKey}`);
    }
  }

  async moveFolder(fromPath: string, toPath: string): Promise<void> {
    const from = splitLakeKey(this.localKey(fromPath));
    const to = splitLakeKey(this.localKey(toPath));
    if (!(await this.folderExists(fromPath)))
      throw new NotFound(`The folder "${fromPath}" is not in the store.`);
    try {
      await this.tree.withDir(from.dir, {}, (source) =>
        this.tree.withDir(to.dir, { create: true }, async (target) => {
          if (
            await lstat(target.entry(to.name)).then(
              () => true,
              () => false,
            )
          )
            throw new Conflict(`"${toPath}" already exists.`);
          await rename(source.entry(from.name), target.entry(to.name));
        }),
      );
    } catch (error) {
      if (isMissing(error)) throw new NotFound(`The folder "${fromPath}" is not in the store.`);
      throw storageError(error, `move folder ${fromPath}`);
    }
  }

  async delete(key: string): Promise<void> {
    const { dir, name } = splitLakeKey(this.localKey(key));
    try {
      // unlink removes a link itself, never what it points at.
      await this.tree.withDir(dir, {}, (open) => unlink(open.entry(name)).catch(ignoreMissing));
    } catch (error) {
      if (isMissing(error) || isNotDir(error) || isLinkError(error)) return;
      throw storageError(error, `delete ${key}`);
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    for await (const object of this.listAll(prefix)) await this.delete(object.key);
    if (!prefix.endsWith('/')) return;
    const { dir, name } = splitLakeKey(this.localKey(prefix.slice(0, -1)));
    try {
      await this.tree.withDir(dir, {}, (open) => this.tree.removeEntry(open, name));
    } catch (error) {
      if (isMissing(error) || isNotDir(error) || isLinkError(error)) return;
      throw storageError(error, `delete ${prefix}`);
    }
  }

  async createFolder(path: string): Promise<void> {
    try {
      await this.tree.withDir(segmentsOf(this.localKey(path)), { create: true }, async () => {});
    } catch (error) {
      throw storageError(error, `create folder ${path}`);
    }
  }

  async deleteFolder(path: string): Promise<void> {
    const { dir, name } = splitLakeKey(this.localKey(path));
    // Only empty directories: the lake is the source of truth, so content is never dropped here.
    try {
      await this.tree.withDir(dir, {}, (open) => rmdir(open.entry(name)));
    } catch (error) {
      if (isMissing(error) || isLinkError(error)) return;
      const code = (error as NodeJS.ErrnoException).code;
      // rmdir on a link (or a file) answers ENOTDIR: it is no folder of the lake.
      if (code === 'ENOTDIR') return;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') {
        throw new Conflict(`The folder "${path}" still holds files in the lake.`);
      }
      throw storageError(error, `delete folder ${path}`);
    }
  }

  async folderExists(path: string): Promise<boolean> {
    // Only "not there" is false: a busy system (EMFILE, EIO) must not make a folder look
    // vanished, since the watcher then drops it from the catalog.
    return this.tree
      .withDir(segmentsOf(this.localKey(path)), {}, async () => true)
      .catch((error) => {
        if (isMissing(error) || isNotDir(error) || isLinkError(error)) return false;
        throw storageError(error, `look for folder ${path}`);
      });
  }

  async *listFolders(prefix: string): AsyncIterable<string> {
    const start = prefix.replace(/\/$/, '');
    const stack = [start];
    while (stack.length > 0) {
      const dirKey = stack.pop()!;
      const entries = await this.tree
        .withDir(segmentsOf(this.localKey(dirKey)), {}, (open) => readdir(open.path, { withFileTypes: true }))
        .catch(() => []);
      for (const entry of entries) {
        // A link to a directory is not a folder of the lake (Dirent types never follow links).
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

const LINK_REASON_INLINE = 'a symbolic link: Dailies does not follow links in the lake.';

/** What an entry of the lake is as an object: a file, a link (unsupported, with why), or nothing. */
function entryObject(key: string, info: Stats): StoredObject | null {
  if (info.isFile()) return toObject(key, info.size, info.mtimeMs);
  if (!info.isSymbolicLink()) return null;
  const mtime = Math.floor(info.mtimeMs);
  return { key, size: info.size, etag: `link-${info.size}-${mtime}`, mtime, unsupported: LINK_REASON };
}

function stagingName(): string {
  return `${THIS_HOST}~${process.pid}~${randomUUID()}`;
}

/** The key of the link met: a folder on the way, or the key itself. */
function linkOf(error: unknown, key: string): string {
  return error instanceof LinkInTree ? error.path : key;
}

function toObject(key: string, size: number, mtimeMs: number): StoredObject {
  const mtime = Math.floor(mtimeMs);
  return { key, size, etag: `${size}-${mtime}`, mtime };
}

function segmentsOf(relativeKey: string): string[] {
  return relativeKey.split('/').filter(Boolean);
}

/** A key's folder segments and its name; the root itself is no object. */
function splitLakeKey(relativeKey: string): { dir: string[]; name: string } {
  const segments = segmentsOf(relativeKey);
  const name = segments.pop();
  if (!name) throw new Invalid("The lake's root is not an object.");
  return { dir: segments, name };
}

/** Opens a file with O_NOFOLLOW: a link as the last name is refused (ELOOP), not followed. */
function openNoFollow(path: string, flags: number): Promise<FileHandle> {
  return open(path, flags | constants.O_NOFOLLOW, 0o644);
}

/** A path naming the open file itself (Linux), for calls that take a path; else the file's path. */
function descriptorPath(handle: FileHandle, fallback: string): string {
  return PROC_FD ? `/proc/self/fd/${handle.fd}` : fallback;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

function isNotDir(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOTDIR';
}

function ignoreMissing(error: unknown): void {
  if (!isMissing(error)) throw error;
}

function storageError(error: unknown, doing: string): Error {
  if (
    error instanceof Conflict ||
    error instanceof NotFound ||
    error instanceof Invalid ||
    error instanceof Unprocessable ||
    error instanceof RangeNotSatisfiable ||
    error instanceof StorageError ||
    error instanceof InsufficientStorage
  )
    return error;
  if (isLinkError(error)) {
    const where = error instanceof LinkInTree ? `"${error.path}"` : 'the name';
    return new Unprocessable(`Could not ${doing}: ${where} is ${LINK_REASON_INLINE}`);
  }
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new InsufficientStorage(`The lake is full: could not ${doing}.`);
  return new StorageError(`Storage failed to ${doing}: ${(error as Error)?.message ?? error}`, error);
}
