import { randomUUID } from 'node:crypto';
import type { Checksums } from '../../lib/checksums.js';
import { extensionOf, nameKey } from '../../lib/paths.js';
import type { Asset } from '../../ports/catalog.js';
import type { StoredObject } from '../../ports/object-store.js';

export type { Checksums };

/** A new, unprocessed asset row for an object found in (or written to) the lake. */
export function newAsset(
  object: StoredObject,
  folderId: string,
  name: string,
  now: number,
  extra: { uploadedBy?: string | null; checksums?: Checksums | null } = {},
): Asset {
  return {
    id: randomUUID(),
    folderId,
    name,
    sortName: nameKey(name),
    format: extensionOf(name),
    kind: null,
    size: object.size,
    etag: object.etag,
    lakeMtime: object.mtime,
    ...stateOf(object),
    currentJob: null,
    checksumXxh64: extra.checksums?.xxh64 ?? null,
    checksumMd5: extra.checksums?.md5 ?? null,
    duration: null,
    width: null,
    height: null,
    frameRate: null,
    videoCodec: null,
    audioCodec: null,
    audioTracks: null,
    startTimecode: null,
    uploadedBy: extra.uploadedBy ?? null,
    createdAt: now,
    updatedAt: now,
    trashedAt: null,
    trashedFrom: null,
    trashKey: null,
  };
}

/** The fields to reset when an object's content changed under an existing asset. */
export function contentChanged(
  object: StoredObject,
  now: number,
  checksums?: Checksums | null,
): Partial<Asset> {
  return {
    size: object.size,
    etag: object.etag,
    lakeMtime: object.mtime,
    ...stateOf(object),
    checksumXxh64: checksums?.xxh64 ?? null,
    checksumMd5: checksums?.md5 ?? null,
    updatedAt: now,
  };
}

/** A new or changed object waits for processing; one the lake will not read (a link) is failed, saying why. */
function stateOf(object: StoredObject): Pick<Asset, 'state' | 'stateReason'> {
  return object.unsupported
    ? { state: 'failed', stateReason: object.unsupported }
    : { state: 'pending', stateReason: null };
}

/** Objects processing may read: not the ones the lake shows as unsupported. */
export function processable(object: StoredObject): boolean {
  return !object.unsupported;
}
