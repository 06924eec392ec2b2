import { Xxh64Accumulator } from '../../lib/checksums.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { ObjectStore, StoredObject } from '../../ports/object-store.js';

/** An S3 ETag that is the MD5 of the content: a single PUT, or Swift's listing of any object. */
const PLAIN_MD5 = /^[0-9a-f]{32}$/;

/**
 * Whether the object the lake shows now still holds the asset's content. The size decides
 * when it differs; an equal ETag when it is the same. Otherwise the ETags may not be
 * comparable at all: S3 gives a multipart upload `<md5 of part md5s>-<parts>`, a server-side
 * copy may get a new one, Swift's HEAD says `…-1` where its listing says the content's MD5,
 * and an fs lake's "ETag" is size and mtime (a touch changes it). Then the content decides:
 * a plain-MD5 ETag against the asset's MD5, else the object is read and its xxHash64 compared.
 * An asset with no checksums yet cannot be compared and counts as changed.
 */
export async function sameContent(lake: ObjectStore, asset: Asset, object: StoredObject): Promise<boolean> {
  if (asset.size !== object.size) return false;
  if (asset.etag === object.etag) return true;
  if (PLAIN_MD5.test(asset.etag) && PLAIN_MD5.test(object.etag)) return false;
  if (PLAIN_MD5.test(object.etag) && asset.checksumMd5) return object.etag === asset.checksumMd5;
  if (!asset.checksumXxh64) return false;
  const sum = new Xxh64Accumulator();
  for await (const chunk of await lake.read(object.key)) sum.update(chunk as Buffer);
  return sum.bytes === asset.size && sum.digest() === asset.checksumXxh64;
}

/**
 * Records the ETag the lake shows now for content that did not change, so the next pass
 * compares equal without reading anything — and on the probed metadata too, which derivative
 * jobs check against the asset's ETag.
 */
export async function adoptEtag(catalog: Catalog, asset: Asset, object: StoredObject): Promise<Asset> {
  const patch = { etag: object.etag, lakeMtime: object.mtime };
  await catalog.assets.update(asset.id, patch);
  const metadata = await catalog.processing.getMetadata(asset.id);
  if (metadata?.etag === asset.etag)
    await catalog.processing.saveMetadata({ ...metadata, etag: object.etag });
  return { ...asset, ...patch };
}
