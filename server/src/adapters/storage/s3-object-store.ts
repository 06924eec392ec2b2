import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { downloadHeaders } from '../../lib/content-disposition.js';
import { Conflict, Invalid, NotFound, StorageError } from '../../lib/errors.js';
import { RESERVED_PREFIX } from '../../lib/paths.js';
import type {
  ByteRange,
  ListPage,
  ObjectStore,
  SignedUrlOptions,
  StoredObject,
  StoreLocation,
  WriteOptions,
} from '../../ports/object-store.js';
import { createS3Client, type S3ConnectionOptions } from './s3-client.js';
import { isMissingKey, isNotImplemented, isPreconditionFailed, statusOf, toStoreError } from './s3-errors.js';
import { type ListingScope, listChildFolders, listKeys, toObject } from './s3-listing.js';
import { multipartCopy } from './s3-multipart-copy.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** S3 refuses a single CopyObject past 5 GiB. */
const COPY_OBJECT_LIMIT = 5 * GiB;
/**
 * Copies stay one CopyObject up to S3's limit: on Swift, ranges copied in parallel from an
 * object staged in parts (as tus stages an upload) were no faster (bench/publish-copy.ts).
 */
const DEFAULT_COPY_THRESHOLD = COPY_OBJECT_LIMIT;
const DEFAULT_COPY_PART_SIZE = 256 * MiB;
/** Parts for a body of unknown length: 10,000 parts of 16 MiB hold 160 GiB; 4 in flight. */
const DEFAULT_UPLOAD_PART_SIZE = 16 * MiB;
const MAX_PARTS = 10_000;
const MIN_PART_SIZE = 5 * MiB;
const MOVES_IN_FLIGHT = 8;

export interface S3StoreOptions extends S3ConnectionOptions {
  bucket: string;
  /** Key prefix the store lives under, without leading or trailing slash; '' for the whole bucket. */
  prefix?: string;
  /** Objects larger than this are copied with UploadPartCopy (default and at most 5 GiB, the CopyObject limit). */
  multipartCopyThreshold?: number;
  multipartCopyPartSize?: number;
  uploadPartSize?: number;
  /**
   * Whether the store honours `If-None-Match: *` on writes (AWS, MinIO and Ceph do; Swift does
   * not). Unset: found out on first write. Without it, "never overwrite" is a check before
   * the write, which a concurrent writer can slip past.
   */
  conditionalWrites?: boolean;
}

/** An S3 bucket (any S3-compatible store), optionally under a key prefix, as an object store. */
export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3' as const;
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix: string;
  private readonly root: string;
  private readonly endpoint: string;
  private readonly copyThreshold: number;
  private readonly copyPartSize: number;
  private readonly uploadPartSize: number;
  private conditional: Promise<boolean> | undefined;
  /** Cleared when the store turns out to take conditional PUTs but not conditional copies. */
  private conditionalCopy = true;
  /** Cleared when the store turns out not to take UploadPartCopy: copies up to 5 GiB go whole. */
  private partCopy = true;
  private readonly scope: ListingScope;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.root = this.prefix ? `${this.prefix}/` : '';
    this.endpoint = options.endpoint ?? 'AWS';
    this.copyThreshold = Math.min(
      COPY_OBJECT_LIMIT,
      options.multipartCopyThreshold ?? DEFAULT_COPY_THRESHOLD,
    );
    this.copyPartSize = Math.max(MIN_PART_SIZE, options.multipartCopyPartSize ?? DEFAULT_COPY_PART_SIZE);
    this.uploadPartSize = Math.max(MIN_PART_SIZE, options.uploadPartSize ?? DEFAULT_UPLOAD_PART_SIZE);
    if (options.conditionalWrites !== undefined)
      this.conditional = Promise.resolve(options.conditionalWrites);
    this.client = createS3Client(options);
    this.scope = {
      client: this.client,
      bucket: this.bucket,
      root: this.root,
      fail: (e, doing) => this.fail(e, doing),
    };
  }

  describe(): string {
    return `s3://${this.bucket}${this.prefix ? `/${this.prefix}` : ''}`;
  }

  location(): StoreLocation {
    return { kind: 's3', bucket: this.bucket, prefix: this.prefix };
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      // HeadBucket answers without a body, so a missing bucket is only a bare 404.
      if (statusOf(error) === 404) {
        throw new StorageError(`The bucket "${this.bucket}" does not exist at ${this.endpoint}.`, error);
      }
      throw this.fail(error, 'reach the bucket');
    }
    const probe = `${RESERVED_PREFIX}check-${randomUUID()}`;
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: this.fullKey(probe), Body: '', ContentLength: 0 }),
      );
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.fullKey(probe) }));
    } catch (error) {
      throw this.fail(error, 'write a test object');
    }
  }

  async head(key: string): Promise<StoredObject | null> {
    try {
      const out = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }),
      );
      return toObject(key, out.ContentLength, out.ETag, out.LastModified);
    } catch (error) {
      if (isMissingKey(error)) return null;
      throw this.fail(error, `read ${key}`);
    }
  }

  async list(prefix: string, options: { cursor?: string; limit?: number } = {}): Promise<ListPage> {
    const limit = Math.max(1, options.limit ?? 1000);
    const objects: StoredObject[] = [];
    // One more than asked tells whether another page exists.
    for await (const object of this.scan(prefix, options.cursor, Math.min(1000, limit + 1))) {
      if (objects.length === limit) return { objects, cursor: objects[limit - 1].key };
      objects.push(object);
    }
    return { objects };
  }

  async *listAll(prefix: string): AsyncIterable<StoredObject> {
    yield* this.scan(prefix);
  }

  /** Real objects under `prefix` in key order: no folder markers, no hidden keys. */
  private async *scan(prefix: string, after?: string, pageSize = 1000): AsyncIterable<StoredObject> {
    const showHidden = prefix.startsWith(RESERVED_PREFIX);
    for await (const item of listKeys(this.scope, prefix, after, pageSize)) {
      if (item.key.endsWith('/')) continue;
      if (!showHidden && item.key.startsWith(RESERVED_PREFIX)) continue;
      yield item;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.fullKey(key),
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      return out.Body as Readable;
    } catch (error) {
      throw this.fail(error, `read ${key}`, key);
    }
  }

  async write(key: string, body: Readable | Buffer, options: WriteOptions = {}): Promise<StoredObject> {
    const fullKey = this.fullKey(key);
    const conditional = await this.supportsConditionalWrites();
    if (!conditional) await this.refuseExisting(key);
    const partSize = options.size
      ? Math.max(this.uploadPartSize, Math.ceil(options.size / MAX_PARTS))
      : this.uploadPartSize;
    try {
      // Upload sends one PUT when the body fits a part, else a multipart upload, completed
      // only once every part is in: either way nobody sees a partial object.
      await new Upload({
        client: this.client,
        partSize,
        queueSize: 4,
        params: {
          Bucket: this.bucket,
          Key: fullKey,
          Body: body,
          ContentType: options.contentType,
          ContentLength: Buffer.isBuffer(body) ? body.length : options.size,
          IfNoneMatch: conditional ? '*' : undefined,
        },
      }).done();
    } catch (error) {
      throw this.fail(error, `write ${key}`, key);
    }
    return this.stat(key);
  }

  async copy(fromKey: string, toKey: string): Promise<StoredObject> {
    const source = await this.head(fromKey);
    if (!source) throw new NotFound(`"${fromKey}" is not in the store.`);
    await this.copyBytes(fromKey, toKey, source.size);
    return this.stat(toKey);
  }

  /** Server-side copy that never overwrites: CopyObject, or UploadPartCopy past the threshold. */
  private async copyBytes(fromKey: string, toKey: string, size: number): Promise<void> {
    let conditional = (await this.supportsConditionalWrites()) && this.conditionalCopy;
    if (!conditional) await this.refuseExisting(toKey);
    const input = {
      Bucket: this.bucket,
      Key: this.fullKey(toKey),
      CopySource: copySource(this.bucket, this.fullKey(fromKey)),
    };
    try {
      if (size > this.copyThreshold && (this.partCopy || size > COPY_OBJECT_LIMIT)) {
        const partSize = Math.max(this.copyPartSize, Math.ceil(size / MAX_PARTS));
        try {
          // A multipart upload starts bare: the source's Content-Type is carried over by hand.
          const source = await this.client.send(
            new HeadObjectCommand({ Bucket: this.bucket, Key: this.fullKey(fromKey) }),
          );
          await multipartCopy(
            this.client,
            { ...input, size, partSize, ContentType: source.ContentType },
            conditional,
          );
          return;
        } catch (error) {
          // A store without UploadPartCopy (or without a conditional completion) still copies
          // up to CopyObject's limit in one request, as below.
          if (!isNotImplemented(error) || size > COPY_OBJECT_LIMIT) throw error;
          this.partCopy = false;
        }
      }
      try {
        await this.client.send(
          new CopyObjectCommand({ ...input, IfNoneMatch: conditional ? '*' : undefined }),
        );
      } catch (error) {
        // Some stores take conditional PUTs but not conditional copies.
        if (!conditional || !isNotImplemented(error)) throw error;
        this.conditionalCopy = conditional = false;
        await this.refuseExisting(toKey);
        await this.client.send(new CopyObjectCommand(input));
      }
    } catch (error) {
      if (isPreconditionFailed(error)) throw new Conflict(`"${toKey}" already exists.`);
      if (isMissingKey(error)) throw new NotFound(`"${fromKey}" is not in the store.`);
      throw this.fail(error, `copy ${fromKey} to ${toKey}`);
    }
  }

  async move(fromKey: string, toKey: string): Promise<StoredObject> {
    const moved = await this.copy(fromKey, toKey);
    await this.delete(fromKey);
    return moved;
  }

  /**
   * Object by object (S3 has no rename), a few at a time; each object is copied, then its
   * source deleted, so an interruption leaves every object in one place or the other.
   */
  async moveFolder(fromPath: string, toPath: string, onProgress?: (done: number) => void): Promise<void> {
    const from = this.folderPrefix(fromPath);
    const to = this.folderPrefix(toPath);
    if (!from || !to) throw new Invalid('The root folder cannot be moved, nor anything moved onto it.');
    if (to.startsWith(from)) throw new Invalid(`The folder "${fromPath}" cannot move inside itself.`);
    if (!(await this.folderExists(fromPath)))
      throw new NotFound(`The folder "${fromPath}" is not in the store.`);
    if ((await this.folderExists(toPath)) || (await this.head(toPath))) {
      throw new Conflict(`"${toPath}" already exists.`);
    }
    const parent = toPath.replace(/\/+$/, '').split('/').slice(0, -1).join('/');
    if (parent) await this.createFolder(parent);
    const sources: StoredObject[] = [];
    for await (const item of listKeys(this.scope, from)) sources.push(item);
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < sources.length) {
        const source = sources[next++];
        await this.copyBytes(source.key, to + source.key.slice(from.length), source.size);
        await this.delete(source.key);
        onProgress?.(++done);
      }
    };
    await Promise.all(Array.from({ length: Math.min(MOVES_IN_FLIGHT, sources.length) }, worker));
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
    } catch (error) {
      if (isMissingKey(error)) return;
      throw this.fail(error, `delete ${key}`);
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    const showHidden = prefix.startsWith(RESERVED_PREFIX);
    let batch: string[] = [];
    for await (const item of listKeys(this.scope, prefix)) {
      if (!showHidden && item.key.startsWith(RESERVED_PREFIX)) continue;
      batch.push(item.key);
      if (batch.length === 1000) {
        await this.deleteMany(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await this.deleteMany(batch);
  }

  private async deleteMany(keys: string[]): Promise<void> {
    try {
      const out = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: keys.map((key) => ({ Key: this.root + key })), Quiet: true },
        }),
      );
      const failed = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
      if (failed.length > 0) {
        const first = failed[0];
        throw new StorageError(
          `Could not delete ${failed.length} object(s) from ${this.describe()}, e.g. "${first.Key}": ${first.Code} ${first.Message ?? ''}`.trim(),
        );
      }
    } catch (error) {
      throw this.fail(error, `delete ${keys.length} object(s)`);
    }
  }

  async createFolder(path: string): Promise<void> {
    const segments = this.folderPrefix(path).split('/').filter(Boolean);
    // Markers for every level, as `mkdir -p` leaves directories: a parent outlives its child.
    for (let i = 1; i <= segments.length; i++) {
      const marker = `${segments.slice(0, i).join('/')}/`;
      try {
        await this.client.send(
          new PutObjectCommand({ Bucket: this.bucket, Key: this.root + marker, Body: '', ContentLength: 0 }),
        );
      } catch (error) {
        throw this.fail(error, `create folder ${path}`);
      }
    }
  }

  async deleteFolder(path: string): Promise<void> {
    const marker = this.folderPrefix(path);
    if (!marker) throw new Invalid('The root folder cannot be deleted.');
    for await (const item of listKeys(this.scope, marker, undefined, 2)) {
      // Only an empty folder goes: the lake is the source of truth, content is never dropped here.
      if (item.key !== marker) throw new Conflict(`The folder "${path}" still holds files in the lake.`);
    }
    await this.delete(marker);
  }

  async folderExists(path: string): Promise<boolean> {
    const folder = this.folderPrefix(path);
    if (!folder) return true;
    for await (const _ of listKeys(this.scope, folder, undefined, 1)) return true;
    return false;
  }

  async *listFolders(prefix: string): AsyncIterable<string> {
    const start = this.folderPrefix(prefix);
    const showHidden = start.startsWith(RESERVED_PREFIX);
    const pending = [start];
    while (pending.length > 0) {
      const folder = pending.shift()!;
      // A delimited listing reports each child folder once, whether it exists as a marker,
      // as the common prefix of the keys below it, or both.
      for await (const child of listChildFolders(this.scope, folder)) {
        if (!showHidden && child.startsWith(RESERVED_PREFIX)) continue;
        yield child.slice(0, -1);
        pending.push(child);
      }
    }
  }

  async signedUrl(key: string, options: SignedUrlOptions): Promise<string> {
    const headers = options.downloadName ? downloadHeaders(options.downloadName) : null;
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.fullKey(key),
      ResponseContentDisposition: headers?.['content-disposition'],
      ResponseContentType: headers?.['content-type'],
      ResponseCacheControl: headers?.['cache-control'],
    });
    try {
      return await getSignedUrl(this.client, command, { expiresIn: options.expiresInSeconds });
    } catch (error) {
      throw this.fail(error, `sign a URL for ${key}`);
    }
  }

  /** Full bucket key of a store key; refuses keys S3 or an HTTP path would read differently. */
  private fullKey(key: string): string {
    if (typeof key !== 'string' || key === '' || key.startsWith('/')) {
      throw new Invalid(`The key "${key}" is not a valid object key.`);
    }
    if (key.split('/').some((segment) => segment === '.' || segment === '..')) {
      throw new Invalid(`The key "${key}" would leave the store.`);
    }
    return this.root + key;
  }

  /** `a/b` → `a/b/`; '' stays '' (the store root). */
  private folderPrefix(path: string): string {
    const trimmed = path.replace(/^\/+|\/+$/g, '');
    if (trimmed === '') return '';
    this.fullKey(trimmed);
    return `${trimmed}/`;
  }

  private async stat(key: string): Promise<StoredObject> {
    const object = await this.head(key);
    if (!object)
      throw new StorageError(`"${key}" vanished from ${this.describe()} right after it was written.`);
    return object;
  }

  private async refuseExisting(key: string): Promise<void> {
    if (await this.head(key)) throw new Conflict(`"${key}" already exists.`);
  }

  private supportsConditionalWrites(): Promise<boolean> {
    this.conditional ??= this.probeConditionalWrites().catch((error) => {
      this.conditional = undefined;
      throw error;
    });
    return this.conditional;
  }

  private async probeConditionalWrites(): Promise<boolean> {
    const probe = `${this.root}${RESERVED_PREFIX}probe-${randomUUID()}`;
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: probe,
          Body: '',
          ContentLength: 0,
          IfNoneMatch: '*',
        }),
      );
    } catch (error) {
      if (isNotImplemented(error)) return false;
      throw this.fail(error, 'write a test object');
    }
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: probe })).catch(() => {});
    return true;
  }

  private fail(error: unknown, doing: string, key?: string) {
    return toStoreError(error, `${this.describe()} at ${this.endpoint}`, doing, key);
  }
}

/** `x-amz-copy-source` is a URL path: each segment percent-encoded, slashes kept. */
function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}
