import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat, statfs, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';
import { Upload } from '@tus/server';
import { type ChecksumLane, checksumsOf } from '../../lib/checksum-lanes.js';
import type { Checksums } from '../../lib/checksums.js';
import { AppError, Conflict, InsufficientStorage, NotFound, StorageError } from '../../lib/errors.js';
import { RESERVED_PREFIX } from '../../lib/paths.js';
import type { StoredObject } from '../../ports/object-store.js';
import type { StagedUpload, UploadStore } from '../../ports/upload-store.js';
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

/** tus's file store, writing through the running checksums and keeping the cause of a failed write. */
class StagingFileStore extends FileStore {
  constructor(
    directory: string,
    expirationPeriodInMilliseconds: number,
    private readonly running: RunningChecksums,
  ) {
    super({ directory, expirationPeriodInMilliseconds });
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    if (!ID.test(id)) throw new NotFound('No such upload.');
    const sink = await fileSink(join(this.directory, id), offset, this.running.lane(id, offset));
    try {
      await pipeline(readable, sink);
    } catch (error) {
      this.running.forget(id);
      throw uploadWriteError(error);
    }
    return offset + sink.bytesWritten;
  }

  override async remove(id: string): Promise<void> {
    this.running.forget(id);
    await super.remove(id);
  }

  /** A published upload answers as complete, so a client that lost the last response still sees it done. */
  override async getUpload(id: string): Promise<Upload> {
    const info = (await this.configstore.get(id)) as (Upload & { published?: boolean }) | undefined;
    if (info?.published) {
      return new Upload({
        id,
        size: info.size,
        offset: info.size ?? 0,
        metadata: info.metadata,
        creation_date: info.creation_date,
      });
    }
    return super.getUpload(id);
  }
}

/**
 * Uploads staged as files in `<lake>/.dailies-uploads/`: `<id>` holds the bytes, `<id>.json` the
 * tus info. A published upload keeps its info file, marked `published`, until it expires.
 */
export class FsUploadStore implements UploadStore {
  readonly datastore: StagingFileStore;
  private readonly running = new RunningChecksums();
  private readonly directory: string;

  constructor(
    private readonly lake: FsObjectStore,
    private readonly options: { expiryMs: number },
  ) {
    this.directory = join(lake.root, FS_UPLOADS_DIR);
    this.datastore = new StagingFileStore(this.directory, options.expiryMs, this.running);
  }

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
    const data = await stat(this.dataPath(id)).catch(() => null);
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
    if (!info || !data) return null;
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
      return await checksumsOf(createReadStream(this.dataPath(id), { highWaterMark: READ_BLOCK }));
    } catch (error) {
      throw new StorageError(`Could not read the staged upload: ${(error as Error).message}`, error);
    }
  }

  async publish(id: string, key: string): Promise<StoredObject> {
    const staged = this.dataPath(id);
    let object: StoredObject;
    try {
      // The asset must not exist before its bytes are on disk.
      const handle = await open(staged, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      object = await this.lake.publish(staged, key);
    } catch (error) {
      if (error instanceof Conflict && (await this.alreadyPublished(staged, key))) {
        // A crash between link and unlink: the object is this upload's own bytes.
        await unlink(staged);
        const head = await this.lake.head(key);
        if (!head) throw error;
        object = head;
      } else if (error instanceof Conflict) throw error;
      else throw uploadWriteError(error);
    }
    const info = await this.readInfo(id);
    if (info) await writeFile(this.infoPath(id), JSON.stringify({ ...info, published: true }));
    return object;
  }

  async markPublished(id: string): Promise<void> {
    if (!ID.test(id)) return;
    this.running.forget(id);
    await rm(this.dataPath(id), { force: true });
    const info = await this.readInfo(id);
    if (info && !info.published)
      await writeFile(this.infoPath(id), JSON.stringify({ ...info, published: true }));
  }

  async discard(id: string): Promise<void> {
    if (!ID.test(id)) return;
    this.running.forget(id);
    await rm(this.dataPath(id), { force: true });
    await rm(this.infoPath(id), { force: true });
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
    await mkdir(this.directory, { recursive: true });
    const info = await statfs(this.directory);
    const free = info.bavail * info.bsize;
    if (bytes > free) {
      throw new InsufficientStorage(
        `The lake is full: the upload needs ${formatBytes(bytes)} but only ${formatBytes(free)} are free.`,
      );
    }
  }

  private dataPath(id: string): string {
    return join(this.directory, id);
  }

  private infoPath(id: string): string {
    return join(this.directory, `${id}${INFO_SUFFIX}`);
  }

  private async readInfo(id: string): Promise<{
    size?: number | null;
    metadata?: Record<string, string | null>;
    creation_date?: string;
    published?: boolean;
  } | null> {
    try {
      return JSON.parse(await readFile(this.infoPath(id), 'utf8'));
    } catch {
      return null;
    }
  }

  /** Ids with a data file, an info file or both. */
  private async stagedIds(): Promise<string[]> {
    const names = await readdir(this.directory).catch(() => [] as string[]);
    const ids = new Set<string>();
    for (const name of names) {
      const id = name.endsWith(INFO_SUFFIX) ? name.slice(0, -INFO_SUFFIX.length) : name;
      if (ID.test(id)) ids.add(id);
    }
    return [...ids].sort();
  }

  private async oldestMtime(id: string): Promise<number | null> {
    const times = await Promise.all(
      [this.dataPath(id), this.infoPath(id)].map((p) =>
        stat(p).then(
          (s) => s.mtimeMs,
          () => null,
        ),
      ),
    );
    const known = times.filter((t): t is number => t !== null);
    return known.length > 0 ? Math.min(...known) : null;
  }

  private async alreadyPublished(staged: string, key: string): Promise<boolean> {
    const [a, b] = await Promise.all([
      stat(staged).catch(() => null),
      stat(this.lake.localPath(key)).catch(() => null),
    ]);
    return !!a && !!b && a.ino === b.ino && a.dev === b.dev;
  }
}

/**
 * A writable over part of a file from `start`, batching queued chunks into one writev and
 * handing each chunk to the checksum lane (hashed on another thread while the write runs). Its
 * errors are already the product's (507 when the disk is full), because a pipeline hands the
 * first error it sees to every stage, tus's included.
 */
async function fileSink(
  path: string,
  start: number,
  lane: ChecksumLane | null,
): Promise<Writable & { bytesWritten: number }> {
  const handle = await open(path, 'r+').catch((error) => {
    throw uploadWriteError(error);
  });
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
