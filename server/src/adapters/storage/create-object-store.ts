import { resolve } from 'node:path';
import { bucketNameProblem } from '../../lib/bucket-name.js';
import { Invalid } from '../../lib/errors.js';
import type { ObjectStore, StoreLocation } from '../../ports/object-store.js';
import { FsObjectStore } from './fs-object-store.js';
import type { S3ConnectionOptions } from './s3-client.js';
import { S3ObjectStore, type S3StoreOptions } from './s3-object-store.js';

/**
 * Reads a store setting (`DAILIES_LAKE`, `DAILIES_DERIVED`, the settings page): a directory
 * path (or `file://` URL), or `s3://bucket/prefix`. Surrounding spaces are dropped; anything
 * else that is wrong is refused with the reason.
 */
export function parseStoreUrl(value: string): StoreLocation {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '')
    throw new Invalid('The storage location is empty: give a directory or s3://bucket/prefix.');
  if (/^s3:/i.test(text)) return parseS3(text);
  if (/^file:\/\//i.test(text))
    return { kind: 'fs', root: resolve(decodeURIComponent(new URL(text).pathname)) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new Invalid(`"${text}" is not a storage location: give a directory or s3://bucket/prefix.`);
  }
  return { kind: 'fs', root: resolve(text) };
}

function parseS3(text: string): StoreLocation {
  const match = /^s3:\/\/([^/]*)\/?(.*)$/i.exec(text);
  if (!match) throw new Invalid(`"${text}" is not an S3 location: write s3://bucket or s3://bucket/prefix.`);
  const [, bucket, rest] = match;
  if (!bucket) throw new Invalid(`"${text}" names no bucket: write s3://bucket or s3://bucket/prefix.`);
  const problem = bucketNameProblem(bucket);
  if (problem) throw new Invalid(`"${bucket}" is not a valid bucket name: ${problem}.`);
  const prefix = rest.replace(/\/+$/, '');
  const segments = prefix === '' ? [] : prefix.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new Invalid(`The prefix "${rest}" in "${text}" has an empty, "." or ".." folder.`);
  }
  return { kind: 's3', bucket, prefix };
}

/** Extra S3 settings that do not belong in the URL (tuning, mostly for tests). */
export type S3StoreTuning = Omit<S3StoreOptions, keyof S3ConnectionOptions | 'bucket' | 'prefix'>;

export interface ObjectStoreOptions {
  /** Connection (and tuning) for `s3://` locations; ignored for directories. */
  s3?: S3ConnectionOptions & S3StoreTuning;
}

/** The store a location names: a directory, or a bucket reached with the `s3` settings. */
export function createObjectStore(
  location: string | StoreLocation,
  options: ObjectStoreOptions = {},
): ObjectStore {
  const parsed = typeof location === 'string' ? parseStoreUrl(location) : location;
  if (parsed.kind === 'fs') return new FsObjectStore(parsed.root);
  return new S3ObjectStore({ ...options.s3, bucket: parsed.bucket, prefix: parsed.prefix });
}
