import type { ObjectStore } from '../../ports/object-store.js';
import type { UploadStore } from '../../ports/upload-store.js';
import { FsObjectStore } from '../storage/fs-object-store.js';
import { FsUploadStore } from './fs-upload-store.js';

/** The upload staging that fits the lake: files beside it on fs, a prefix in the bucket on S3. */
export function createUploadStore(lake: ObjectStore, options: { expiryMs: number }): UploadStore {
  if (lake instanceof FsObjectStore) return new FsUploadStore(lake, options);
  throw new Error(`Uploads into a ${lake.kind} lake are not available in this build.`);
}
