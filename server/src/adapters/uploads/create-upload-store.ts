import type { ObjectStore } from '../../ports/object-store.js';
import type { UploadStore } from '../../ports/upload-store.js';
import { FsObjectStore } from '../storage/fs-object-store.js';
import type { S3ConnectionOptions } from '../storage/s3-client.js';
import { S3ObjectStore } from '../storage/s3-object-store.js';
import { FsUploadStore } from './fs-upload-store.js';
import { S3UploadStore } from './s3-upload-store.js';

export interface UploadStoreOptions {
  /** Unfinished uploads older than this are removed. */
  expiryMs: number;
  /** Connection of an S3 lake (the same settings the lake store uses). */
  s3?: S3ConnectionOptions;
  /** S3 multipart part size (tests use the 5 MiB minimum). */
  partSize?: number;
}

/** The upload staging that fits the lake: files beside it on fs, a prefix in the bucket on S3. */
export function createUploadStore(lake: ObjectStore, options: UploadStoreOptions): UploadStore {
  if (lake instanceof FsObjectStore) return new FsUploadStore(lake, options);
  if (lake instanceof S3ObjectStore) return new S3UploadStore(lake, options.s3 ?? {}, options);
  throw new Error(`Uploads into a ${lake.kind} lake are not supported.`);
}
