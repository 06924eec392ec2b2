import { randomBytes } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { type FileHandle, lstat, open, readdir, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';
import { ERRORS, type KvStore, Upload } from '@tus/server';
import { type ChecksumLane, checksumsOf } from '../../lib/checksum-lanes.js';
import type { Checksums } from '../../lib/checksums.js';
import { AppError, Conflict, InsufficientStorage, NotFound, StorageError } from '../../lib/errors.js';
import { RESERVED_PREFIX } from '../../lib/paths.js';
import type { StoredObject } from '../../ports/object-store.js';
import type { StagedUpload, UploadStore } from '../../ports/upload-store.js';
import { isLinkError, type OpenDir } from '../fs/contained-tree.js';
import type { FsObjectStore } from '../storage/fs-object-store.js';
import { RunningChecksums } from './running-checksums.js';

/** Under the lake root, so publishing is a link on the same filesystem; hidden from listings. */
export const FS_UPLOADS_DIR = `${RESERVED_PREFIX}uploads`;
const ID = /^[0-9a-f]{32}$/;
const INFO_SUFFIX = '.json';
/** Reads of staged bytes (re-hashing) in large blocks. */
const READ_BLOCK = 1024 * 1024;
/** Bytes queued before the sink pushes back; several socket reads go to disk in one writev. */
const SINK_BUFFER = 1024 * 1024;
/**
 * Staged bytes are flushed to disk in steps of this size while the upload goes on, so the disk
 * writes while the next bytes arrive and the flush before publishing has little left to do.
 */
const FLUSH_STEP = 64 * 1024 * 1024;
const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_NOFOLLOW, O_NONBLOCK } = constants;

type UploadInfo = {
  size?: number | null;
  metadata?: Record<string, string | null>;
  creation_date?: string;
  published?: boolean;
};

/**
 * The staging directory, entered afresh for each operation without following a link (a link
 * planted at `.dailies-uploads` or at any staged name is refused, never written through).
 */
type StagingDir = <T>(work: (dir: OpenDir) => Promise<T>) => Promise<T>;

/** tus info files (`<id>.json`), read and written only as plain files of the staging directory. */
class StagingInfoStore implements KvStore<Upload> {
  constructor(private readonly staging: StagingDir) {}

  async get(id: string): Promise<Upload | undefined> {
    if (!ID.test(id)) return undefined;
    try {
      return JSON.parse(await this.staging((dir) => readNoFollow(dir.entry(`${id}${INFO_SUFFIX}`))));
    } catch {
      return undefined;
    }
  }

  async set(id: string, value: Upload): Promise<void> {
    if (!ID.test(id)) throw ERRORS.FILE_NOT_FOUND;
    await this.staging(async (dir) => {
      const handle = await open(
        dir.entry(`${id}${INFO_SUFFIX}`),
        O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW,
        0o644,
      );
      try {
        await handle.writeFile(JSON.stringify(value));
      } finally {
        await handle.close();
      }
    });
  }

  async delete(id: string): Promise<void> {
    if (!ID.test(id)) return;
    await this.staging((dir) => unlink(dir.entry(`${id}${INFO_SUFFIX}`)).catch(ignoreMissing));
  }

  async list(): Promise<string[]> {
    const names = await this.staging((dir) => readdir(dir.path)).catch(() => [] as string[]);
    return names
      .filter((n) => n.endsWith(INFO_SUFFIX))
      .map((n) => n.slice(0, -INFO_SUFFIX.length))
      .filter((id) => ID.test(id));
  }
}

/**
 * tus's file store, writing through the running checksums and keeping the cause of a failed
 * write. Every file it touches is opened in the staging directory without following a link.
 */
class StagingFileStore extends FileStore {
  constructor(
    lakeRoot: string,
    expirationPeriodInMilliseconds: number,
    private readonly running: RunningChecksums,
    private readonly staging: StagingDir,
  ) {
    // tus makes `directory` with a mkdir that would follow a link: it is given the lake's root,
    // and the staging directory is made when first entered, without following one.
    super({
      directory: lakeRoot,
      expirationPeriodInMilliseconds,
      configstore: new StagingInfoStore(staging),
    });
  }

  override async create(file: Upload): Promise<Upload> {
    if (!ID.test(file.id)) throw ERRORS.FILE_NOT_FOUND;
    await this.staging(async (dir) => {
      // O_EXCL: a name already there, a link included, is never opened.
      const handle = await open(dir.entry(file.id), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
      await handle.close();
    }).catch((error) => {
      throw uploadWriteError(error);
    });
    await this.configstore.set(file.id, file);
    file.storage = { type: 'file', path: join(this.directory, FS_UPLOADS_DIR, file.id) };
    return file;
  }

  override read(): never {
    throw new Error('Staged uploads are read by the upload store.');
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    if (!ID.test(id)) throw new NotFound('No such upload.');
    const handle = await this.staging((dir) => open(dir.entry(id), O_RDWR | O_NOFOLLOW)).catch((error) => {
      throw uploadWriteError(error);
    });
    const sink = fileSink(handle, offset, await this.running.lane(id, offset));
    try {
      await pipeline(readable, sink);
    } catch (error) {
      this.running.close(id);
      throw uploadWriteError(error);
    }
    await this.running.written(id, offset + sink.bytesWritten);
    return offset + sink.bytesWritten;
  }

  override async remove(id: string): Promise<void> {
    await this.running.forget(id);
    if (!ID.test(id)) throw ERRORS.FILE_NOT_FOUND;
    await this.staging((dir) => unlink(dir.entry(id))).catch(() => {
      throw ERRORS.FILE_NOT_FOUND;
    });
    await this.configstore.delete(id);
  }

  /** A published upload answers as complete, so a client that lost the last response still sees it done. */
  override async getUpload(id: string): Promise<Upload> {
    const info = (await this.configstore.get(id)) as (Upload & { published?: boolean }) | undefined;
    if (!info) throw ERRORS.FILE_NOT_FOUND;
    if (info.published) {
      return new Upload({
        id,
        size: info.size,
        offset: info.size ?? 0,
        metadata: info.metadata,
        creation_date: info.creation_date,
      });
    }
    const data = await this.staging((dir) => lstat(dir.entry(id))).catch(() => null);
    // Only a plain file is an upload's bytes; a link planted there is not followed.
    if (!data) throw ERRORS.FILE_NO_LONGER_EXISTS;
    if (!data.isFile()) throw ERRORS.FILE_NOT_FOUND;
    return new Upload({
      id,
      size: info.size,
      offset: data.size,
      metadata: info.metadata,
      creation_date: info.creation_date,
      storage: { type: 'file', path: join(this.directory, FS_UPLOADS_DIR, id) },
    });
  }
}

/**
 * Uploads staged as files in `<lake>/.dailies-uploads/`: `<id>` holds the bytes, `<id>.json` the
 * tus info. A published upload keeps its info file, marked `published`, until it expires.
 */
export class FsUploadStore implements UploadStore {
  readonly datastore: StagingFileStore;
  readonly publishCopies = false;
  // An fs lake lives on one machine (or one mount): the running hashes stay in this process.
  private readonly running = new RunningChecksums(null);
  private readonly info: StagingInfoStore;

  constructor(
    private readonly lake: FsObjectStore,
    private readonly options: { expiryMs: number },
  ) {
    this.datastore = new StagingFileStore(lake.root, options.expiryMs, this.running, this.staging);
    this.info = new StagingInfoStore(this.staging);
  }

  /** Runs `work` in the staging directory, entered without following a link. */
  private readonly staging: StagingDir = async (work) => {
    const dir = await this.lake.openReservedDir(FS_UPLOADS_DIR);
    try {
      return await work(dir);
    } finally {
      await dir.close().catch(() => {});
    }
  };

  newId(): string {
    return randomBytes(16).toString('hex');
  }

  tokenOf(id: string): string {
    return id;
  }

  idFromToken(token: string): string | undefined {
    return ID.test(token) ? token : undefined;
  }

  async get(id: string): Promise<StagedUpload | null> {
    if (!ID.test(id)) return null;
    const info = await this.readInfo(id);
    if (info?.published) {
      return {
        id,
        size: info.size ?? undefined,
        offset: info.size ?? 0,
        metadata: info.metadata ?? {},
        createdAt: Date.parse(info.creation_date ?? '') || Date.now(),
        published: true,
      };
    }
    const data = info ? await this.staging((dir) => lstat(dir.entry(id))).catch(() => null) : null;
    if (!info || !data?.isFile()) return null;
    return {
      id,
      size: info.size ?? undefined,
      offset: data.size,
      published: false,
      metadata: info.metadata ?? {},
      createdAt: info.creation_date ? Date.parse(info.creation_date) : data.birthtimeMs,
    };
  }

  async list(): Promise<StagedUpload[]> {
    const uploads: StagedUpload[] = [];
    for (const id of await this.stagedIds()) {
      const upload = await this.get(id);
      if (upload) uploads.push(upload);
    }
    return uploads;
  }

  async checksums(id: string): Promise<Checksums> {
    const upload = await this.get(id);
    if (!upload || upload.published) throw new NotFound('No such upload.');
    const running = await this.running.take(id, upload.offset);
    if (running) return running;
    try {
      const handle = await this.staging((dir) => open(dir.entry(id), O_RDONLY | O_NOFOLLOW | O_NONBLOCK));
      return await checksumsOf(createReadStream('', { fd: handle, highWaterMark: READ_BLOCK }));
    } catch (error) {
      throw new StorageError(`Could not read the staged upload: ${(error as Error).message}`, error);
    }
  }

  async publish(id: string, key: string): Promise<StoredObject> {
    if (!ID.test(id)) throw new NotFound('No such upload.');
    const object = await this.staging(async (dir) => {
      const staged = dir.entry(id);
      try {
        // The asset must not exist before its bytes are on disk; a link here is refused (ELOOP).
        const handle = await open(staged, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
        try {
          if (!(await handle.stat()).isFile()) throw new NotFound('No such upload.');
          await handle.sync();
        } finally {
          await handle.close();
        }
        return await this.lake.publish(staged, key);
      } catch (error) {
        if (error instanceof Conflict && (await this.alreadyPublished(staged, key))) {
          // A crash between link and unlink: the object is this upload's own bytes.
          await unlink(staged);
          const head = await this.lake.head(key);
          if (!head) throw error;
          return head;
        }
        if (error instanceof Conflict) throw error;
        throw uploadWriteError(error);
      }
    });
    const info = await this.readInfo(id);
    if (info) await this.info.set(id, { ...info, published: true } as unknown as Upload);
    return object;
  }

  async markPublished(id: string): Promise<void> {
    if (!ID.test(id)) return;
    await this.running.forget(id);
    await this.staging(async (dir) => {
      await unlink(dir.entry(id)).catch(ignoreMissing);
    });
    const info = await this.readInfo(id);
    if (info && !info.published) await this.info.set(id, { ...info, published: true } as unknown as Upload);
  }

  async discard(id: string): Promise<void> {
    if (!ID.test(id)) return;
    await this.running.forget(id);
    await this.staging(async (dir) => {
      await unlink(dir.entry(id)).catch(ignoreMissing);
      await unlink(dir.entry(`${id}${INFO_SUFFIX}`)).catch(ignoreMissing);
    });
  }

  async deleteExpired(busy: (id: string) => boolean = () => false): Promise<number> {
    const cutoff = Date.now() - this.options.expiryMs;
    let removed = 0;
    for (const id of await this.stagedIds()) {
      if (busy(id)) continue;
      const info = await this.readInfo(id);
      const created = info?.creation_date ? Date.parse(info.creation_date) : await this.oldestMtime(id);
      if (created !== null && created < cutoff) {
        await this.discard(id);
        removed++;
      }
    }
    return removed;
  }

  async ensureRoom(bytes: number): Promise<void> {
    const info = await this.staging((dir) => statfs(dir.path));
    const free = info.bavail * info.bsize;
    if (bytes > free) {
      throw new InsufficientStorage(
        `The lake is full: the upload needs ${formatBytes(bytes)} but only ${formatBytes(free)} are free.`,
      );
    }
  }

  private async readInfo(id: string): Promise<UploadInfo | null> {
    return ((await this.info.get(id)) as UploadInfo | undefined) ?? null;
  }

  /** Ids with a data file, an info file or both. */
  private async stagedIds(): Promise<string[]> {
    const names = await this.staging((dir) => readdir(dir.path)).catch(() => [] as string[]);
    const ids = new Set<string>();
    for (const name of names) {
      const id = name.endsWith(INFO_SUFFIX) ? name.slice(0, -INFO_SUFFIX.length) : name;
      if (ID.test(id)) ids.add(id);
    }
    return [...ids].sort();
  }

  private async oldestMtime(id: string): Promise<number | null> {
    const times = await this.staging((dir) =>
      Promise.all(
        [dir.entry(id), dir.entry(`${id}${INFO_SUFFIX}`)].map((p) =>
          lstat(p).then(
            (s) => s.mtimeMs,
            () => null,
          ),
        ),
      ),
    );
    const known = times.filter((t): t is number => t !== null);
    return known.length > 0 ? Math.min(...known) : null;
  }

  private async alreadyPublished(staged: string, key: string): Promise<boolean> {
    const [a, b] = await Promise.all([
      lstat(staged).catch(() => null),
      lstat(this.lake.localPath(key)).catch(() => null),
    ]);
    return !!a && !!b && a.isFile() && a.ino === b.ino && a.dev === b.dev;
  }
}

/** A small file's text, opened without following a link. */
async function readNoFollow(path: string): Promise<string> {
  const handle = await open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException)?.code !== 'ENOENT') throw error;
}

/**
 * A writable over part of a file from `start`, batching queued chunks into one writev and
 * handing each chunk to the checksum lane (hashed on another thread while the write runs). Its
 * errors are already the product's (507 when the disk is full), because a pipeline hands the
 * first error it sees to every stage, tus's included.
 */
function fileSink(
  handle: FileHandle,
  start: number,
  lane: ChecksumLane | null,
): Writable & { bytesWritten: number } {
  let position = start;
  let flushedTo = start;
  let flushing: Promise<void> | null = null;
  const flushBehind = () => {
    if (flushing || position - flushedTo < FLUSH_STEP) return;
    const target = position;
    flushing = handle.datasync().then(
      () => {
        flushedTo = target;
        flushing = null;
      },
      // A failed flush is not this write's failure: the fsync before publishing reports it.
      () => {
        flushing = null;
      },
    );
  };
  const writeAll = async (chunks: Buffer[]) => {
    if (lane) {
      for (const chunk of chunks) {
        const full = lane.push(chunk);
        if (full) await full;
      }
    }
    let pending = chunks;
    while (pending.length > 0) {
      const { bytesWritten } = await handle.writev(pending, position);
      position += bytesWritten;
      sink.bytesWritten += bytesWritten;
      pending = dropBytes(pending, bytesWritten);
    }
    flushBehind();
  };
  const sink = Object.assign(
    new Writable({
      highWaterMark: SINK_BUFFER,
      writev(entries, callback) {
        writeAll(entries.map((e) => e.chunk as Buffer)).then(
          () => callback(),
          (error) => callback(uploadWriteError(error)),
        );
      },
      final(callback) {
        Promise.resolve(flushing)
          .then(() => handle.close())
          .then(
            () => callback(),
            (error) => callback(uploadWriteError(error)),
          );
      },
      destroy(error, callback) {
        Promise.resolve(flushing)
          .then(() => handle.close())
          .then(
            () => callback(error),
            () => callback(error),
          );
      },
    }),
    { bytesWritten: 0 },
  );
  return sink;
}

/** The chunks left after the first `bytes` bytes were written. */
function dropBytes(chunks: Buffer[], bytes: number): Buffer[] {
  let left = bytes;
  const rest: Buffer[] = [];
  for (const chunk of chunks) {
    if (left >= chunk.length) left -= chunk.length;
    else {
      rest.push(left > 0 ? chunk.subarray(left) : chunk);
      left = 0;
    }
  }
  return rest;
}

function uploadWriteError(error: unknown): Error {
  if (error instanceof AppError) return error;
  if (isLinkError(error))
    return new StorageError(
      'The lake could not store the upload: its staging holds a symbolic link, which Dailies does not write through.',
      error,
    );
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new InsufficientStorage(
      'The lake is full: the upload could not be stored. Free some space and resume it.',
    );
  return new StorageError(
    `The lake could not store the upload: ${(error as Error)?.message ?? error}`,
    error,
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
