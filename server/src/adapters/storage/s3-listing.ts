import { ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { RESERVED_PREFIX } from '../../lib/paths.js';
import type { StoredObject } from '../../ports/object-store.js';

/** What a listing needs from the store: where to look, and how to report a failure. */
export interface ListingScope {
  client: S3Client;
  bucket: string;
  /** Store prefix in the bucket, with its trailing slash; '' for the whole bucket. */
  root: string;
  fail(error: unknown, doing: string): Error;
}

/** Sorts after every key that begins with RESERVED_PREFIX, so a listing can skip them all at once. */
const PAST_RESERVED = `${RESERVED_PREFIX}\u{10ffff}`;

/**
 * Every key under `prefix` after `after`, in key order, folder markers included. Outside a
 * hidden prefix, the first hidden key makes the listing restart past the whole hidden run
 * (the trash can hold many); callers still filter, for the odd key sorting after that point.
 */
export async function* listKeys(
  scope: ListingScope,
  prefix: string,
  after?: string,
  pageSize = 1000,
): AsyncIterable<StoredObject> {
  const { client, bucket, root } = scope;
  let mayJump = !prefix.startsWith(RESERVED_PREFIX) && (after === undefined || after < PAST_RESERVED);
  let startAfter = after;
  let token: string | undefined;
  for (;;) {
    let out: ListObjectsV2CommandOutput;
    try {
      out = await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: root + prefix,
          MaxKeys: pageSize,
          ContinuationToken: token,
          StartAfter: token || startAfter === undefined ? undefined : root + startAfter,
        }),
      );
    } catch (error) {
      throw scope.fail(error, `list ${prefix || '/'}`);
    }
    let jumped = false;
    for (const item of out.Contents ?? []) {
      const key = item.Key!.slice(root.length);
      if (mayJump && key.startsWith(RESERVED_PREFIX)) {
        jumped = true;
        break;
      }
      yield toObject(key, item.Size, item.ETag, item.LastModified);
    }
    if (jumped) {
      mayJump = false;
      startAfter = PAST_RESERVED;
      token = undefined;
    } else if (out.IsTruncated && out.NextContinuationToken) {
      token = out.NextContinuationToken;
    } else {
      return;
    }
  }
}

/** Child folder prefixes (`a/b/`) of `folder` (`a/`, or '' for the root), markers or implied. */
export async function* listChildFolders(scope: ListingScope, folder: string): AsyncIterable<string> {
  const { client, bucket, root } = scope;
  let token: string | undefined;
  do {
    let out: ListObjectsV2CommandOutput;
    try {
      out = await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: root + folder,
          Delimiter: '/',
          ContinuationToken: token,
        }),
      );
    } catch (error) {
      throw scope.fail(error, `list folders in ${folder || '/'}`);
    }
    for (const common of out.CommonPrefixes ?? []) yield common.Prefix!.slice(root.length);
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
}

export function toObject(key: string, size?: number, etag?: string, modified?: Date): StoredObject {
  return { key, size: size ?? 0, etag: (etag ?? '').replace(/"/g, ''), mtime: modified?.getTime() ?? 0 };
}
