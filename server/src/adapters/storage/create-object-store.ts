import type { ObjectStore } from '../../ports/object-store.js';
import { FsObjectStore } from './fs-object-store.js';

/** Placeholder until the S3 adapter lands: directories only. */
export function createObjectStore(location: string, _options?: unknown): ObjectStore {
  if (location.startsWith('s3://')) throw new Error('S3 stores are not available in this build.');
  return new FsObjectStore(location);
}
