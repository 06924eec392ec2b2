import { randomBytes } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  S3,
} from '@aws-sdk/client-s3';
import { S3Store } from '@tus/s3-store';
import { checksumsOf } from '../../lib/checksum-lanes.js';
import type { Checksums } from '../../lib/checksums.js';
import { AppError, NotFound } from '../../lib/errors.js';
import { RESERVED_PREFIX } from '../../lib/paths.js';
import type { StoredObject } from '../../ports/object-store.js';
import type { StagedUpload, UploadStore } from '../../ports/upload-store.js';
import { type S3ConnectionOptions, s3ClientConfig, withStoreCompat } from '../storage/s3-client.js';
import { isMissingUpload, toStoreError } from '../storage/s3-errors.js';
import type { S3ObjectStore } from '../storage/s3-object-store.js';
import { RunningChecksums, type SavedHashesPlace } from './running-checksums.js';

/** Staging prefix inside the lake's prefix; the S3 store's listings skip it. */
export const S3_UPLOADS_PREFIX = `${RESERVED_PREFIX}uploads/`;
const TOKEN = /^[0-9a-f]{32}$/;
const MiB = 1024 * 1024;
/** Beside `<hex>.info` and `<hex>.part`: the running hashes after the last write (running-checksums.ts). */
const HASHES_SUFFIX = '.hash';

/** tus's S3 store, writing through the running checksums and turning SDK failures into the product's errors. */
class StagingS3Store extends S3Store {
  constructor(
    options: ConstructorParameters<typeof S3Store>[0],
    private readonly running: RunningChecksums,
    private readonly fail: (error: unknown, doing: string) => Error,
  ) {
    super(options);
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    const hasher = await this.running.hasher(id, offset);
    // A boundary: whatever the SDK destroys the body with stays on this side, and tus sees
    // the mapped error this method throws.
    const body = new PassThrough();
    const source = hasher ?? new PassThrough();
    readable.on('error', (error) => source.destroy(error));
    readable.pipe(source).pipe(body);
    source.on('error', (error) => body.destroy(error));
    let written: number;
    try {
      written = await super.write(body, id, offset);
    } catch (error) {
      this.running.close(id);
      readable.unpipe(source);
      if (await this.completedBefore(error, id, offset)) return offset;
      throw this.fail(error, 'store the upload');
    }
    await this.running.written(id, written);
    return written;
  }

  /**
   * The last write leaves the multipart upload open: completing it (on Swift, a manifest of
   * every part, ~110 ms for 40 parts) is the publish's first step, after a large upload's last
   * PATCH has been answered. Until then the parts are the upload; `completeDeferred` ends it.
   */
  protected override async finishMultipartUpload(): Promise<string | undefined> {
    return undefined;
  }

  /** Completes the multipart upload the last write left open; nothing to do once completed. */
  async completeDeferred(id: string): Promise<void> {
    const parts = await this.openParts(id, 'complete the upload');
    if (!parts) return;
    try {
      await super.finishMultipartUpload(await this.getMetadata(id), parts);
    } catch (error) {
      throw this.fail(error, 'complete the upload');
    }
  }

  /** Whether the upload's multipart upload is still open (not completed, not aborted). */
  async multipartOpen(id: string): Promise<boolean> {
    return (await this.openParts(id, 'read an upload')) !== null;
  }

  /** The parts of the upload's open multipart upload, or null once it was completed or aborted. */
  private async openParts(id: string, doing: string) {
    try {
      return await this.retrieveParts(id);
    } catch (error) {
      if (isMissingUpload(error)) return null;
      throw this.fail(error, doing);
    }
  }

  /**
   * A last PATCH sent again with nothing left to send (its answer was lost): the first one
   * completed the multipart upload, so tus finds no upload to list parts of. Nothing is to be
   * written; the finish that follows sees the upload published, or publishes it.
   */
  private async completedBefore(error: unknown, id: string, offset: number): Promise<boolean> {
    if (!isMissingUpload(error)) return false;
    return (await this.getMetadata(id)).file.size === offset;
  }

  override async remove(id: string): Promise<void> {
    await this.running.forget(id);
    await super.remove(id);
  }
}

/**
 * Uploads staged in the lake's bucket under `<prefix>/.dailies-uploads/`: tus's multipart upload
 * at `<hex>`, its info at `<hex>.info` and a short tail at `<hex>.part`. Publishing is a
 * server-side copy to the final key (never over an object) and a delete of the staged one; the
 * info object stays as the published marker until expiry.
 */
export class S3UploadStore implements UploadStore {
  readonly datastore: StagingS3Store;
  readonly publishCopies = true;
  private readonly running: RunningChecksums;
  private readonly client: S3;
  /** Full key prefix of staging in the bucket. */
  private readonly stagingRoot: string;

  constructor(
    private readonly lake: S3ObjectStore,
    connection: S3ConnectionOptions,
    private readonly options: { expiryMs: number; partSize?: number },
  ) {
    this.stagingRoot = `${lake.prefix ? `${lake.prefix}/` : ''}${S3_UPLOADS_PREFIX}`;
    const config = s3ClientConfig(connection);
    this.client = withStoreCompat(new S3(config));
    this.running = new RunningChecksums(this.savedHashes());
    this.datastore = new StagingS3Store(
      {
        partSize: options.partSize ?? 8 * MiB,
        expirationPeriodInMilliseconds: options.expiryMs,
        // Object tags are not universal (Swift has none); expiry is swept here instead.
        useTags: false,
        s3ClientConfig: { ...config, bucket: lake.bucket },
      },
      this.running,
      (error, doing) => this.fail(error, doing),
    );
    // The SDK client tus builds lacks what S3-compatible stores need (Content-MD5 on DeleteObjects).
    (this.datastore as unknown as { client: S3 }).client = this.client;
  }

  newId(): string {
    return `${this.stagingRoot}${randomBytes(16).toString('hex')}`;
  }

  tokenOf(id: string): string {
    return id.slice(this.stagingRoot.length);
  }

  idFromToken(token: string): string | undefined {
    return TOKEN.test(token) ? `${this.stagingRoot}${token}` : undefined;
  }

  async get(id: string): Promise<StagedUpload | null> {
    if (!this.isId(id)) return null;
    let upload: Awaited<ReturnType<S3Store['getUpload']>>;
    try {
      upload = await this.datastore.getUpload(id);
    } catch (error) {
      if ((error as { status_code?: number }).status_code === 404) return null;
      throw this.fail(error, 'read an upload');
    }
    const complete = upload.size !== undefined && upload.offset === upload.size;
    // Every byte in: the parts of an open multipart upload (the last write leaves it open), then
    // the staged object once the publish completed it, then nothing once it was published.
    const published =
      complete && !(await this.lake.head(this.stagingKey(id))) && !(await this.datastore.multipartOpen(id));
    return {
      id,
      size: upload.size,
      offset: upload.offset,
      metadata: (upload.metadata ?? {}) as Record<string, string | null>,
      createdAt: upload.creation_date ? Date.parse(upload.creation_date) : Date.now(),
      published,
    };
  }

  async list(): Promise<StagedUpload[]> {
    const uploads: StagedUpload[] = [];
    for await (const object of this.lake.listAll(S3_UPLOADS_PREFIX)) {
      if (!object.key.endsWith('.info')) continue;
      const upload = await this.get(this.idOfKey(object.key.slice(0, -'.info'.length)));
      if (upload) uploads.push(upload);
    }
    return uploads;
  }

  async checksums(id: string): Promise<Checksums> {
    const upload = await this.get(id);
    if (!upload || upload.published) throw new NotFound('No such upload.');
    const running = await this.running.take(id, upload.offset);
    if (running) return running;
    // The staged bytes are read from here on: the object the parts make.
    await this.datastore.completeDeferred(id);
    // The saved hashes stop short (a PATCH died with some parts stored): only the rest is read.
    const lane = await this.running.behind(id, upload.offset);
    if (lane) {
      try {
        const rest = await this.lake.read(this.stagingKey(id), { start: lane.bytes, end: upload.offset - 1 });
        for await (const chunk of rest) await lane.push(chunk);
        if (lane.bytes === upload.offset) return await lane.digest();
        lane.close();
      } catch {
        lane.close();
      }
    }
    return checksumsOf(await this.lake.read(this.stagingKey(id)));
  }

  async publish(id: string, key: string): Promise<StoredObject> {
    const staged = this.stagingKey(id);
    await this.datastore.completeDeferred(id);
    const object = await this.lake.copy(staged, key);
    await this.lake.delete(staged);
    await this.running.forget(id);
    return object;
  }

  /** Published is read from the staged object being gone, so removing it is the marker. */
  async markPublished(id: string): Promise<void> {
    if (!this.isId(id)) return;
    await this.running.forget(id);
    await this.lake.delete(this.stagingKey(id));
  }

  async discard(id: string): Promise<void> {
    if (!this.isId(id)) return;
    await this.running.forget(id);
    try {
      await this.datastore.remove(id);
    } catch {
      // Gone already, or its multipart upload was completed: the objects are removed below.
    }
    const key = this.stagingKey(id);
    for (const suffix of ['', '.info', '.part', HASHES_SUFFIX]) await this.lake.delete(`${key}${suffix}`);
  }

  async deleteExpired(busy: (id: string) => boolean = () => false): Promise<number> {
    const cutoff = Date.now() - this.options.expiryMs;
    const ids = new Map<string, number>();
    for await (const object of this.lake.listAll(S3_UPLOADS_PREFIX)) {
      const base = object.key.replace(/\.(info|part|hash)$/, '');
      const id = this.idOfKey(base);
      const known = ids.get(id);
      ids.set(id, known === undefined ? object.mtime : Math.min(known, object.mtime));
    }
    let removed = 0;
    for (const [id, oldest] of ids) {
      if (oldest < cutoff && !busy(id)) {
        await this.discard(id);
        removed++;
      }
    }
    // Multipart uploads whose info object never got written (a crash right after creation).
    try {
      const { Uploads = [] } = await this.client.send(
        new ListMultipartUploadsCommand({ Bucket: this.lake.bucket, Prefix: this.stagingRoot }),
      );
      for (const upload of Uploads) {
        if (!upload.Key || !upload.UploadId || busy(upload.Key) || ids.has(upload.Key)) continue;
        if ((upload.Initiated?.getTime() ?? Date.now()) >= cutoff) continue;
        await this.client.send(
          new AbortMultipartUploadCommand({
            Bucket: this.lake.bucket,
            Key: upload.Key,
            UploadId: upload.UploadId,
          }),
        );
        removed++;
      }
    } catch (error) {
      throw this.fail(error, 'list unfinished uploads');
    }
    return removed;
  }

  /** The running hashes as a small object beside the staged one, read and written by any server. */
  private savedHashes(): SavedHashesPlace {
    const Bucket = this.lake.bucket;
    const keyOf = (id: string) => `${id}${HASHES_SUFFIX}`;
    return {
      load: async (id) => {
        try {
          const out = await this.client.send(new GetObjectCommand({ Bucket, Key: keyOf(id) }));
          return out.Body ? await out.Body.transformToByteArray() : null;
        } catch (error) {
          if ((error as { name?: string }).name === 'NoSuchKey') return null;
          throw error;
        }
      },
      save: async (id, state) => {
        await this.client.send(
          new PutObjectCommand({ Bucket, Key: keyOf(id), Body: state, ContentLength: state.length }),
        );
      },
      remove: async (id) => {
        await this.client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(id) }));
      },
    };
  }

  /** Key of the staged object relative to the lake. */
  private stagingKey(id: string): string {
    return `${S3_UPLOADS_PREFIX}${this.tokenOf(id)}`;
  }

  private idOfKey(lakeKey: string): string {
    return `${this.stagingRoot}${lakeKey.slice(S3_UPLOADS_PREFIX.length)}`;
  }

  private isId(id: string): boolean {
    return id.startsWith(this.stagingRoot) && TOKEN.test(this.tokenOf(id));
  }

  private fail(error: unknown, doing: string): Error {
    if (error instanceof AppError) return error;
    // tus's own protocol answers ({ status_code, body }) pass through.
    if (typeof (error as { status_code?: unknown }).status_code === 'number') return error as Error;
    return toStoreError(error, this.lake.describe(), doing);
  }
}
