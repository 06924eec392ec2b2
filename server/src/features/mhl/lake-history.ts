import { type HistorySource, HistoryTooLarge } from '../../lib/mhl/mhl-history.js';
import { assetKey } from '../../lib/paths.js';
import type { ObjectStore } from '../../ports/object-store.js';

/**
 * The largest history file read (one generation of a card with ~150,000 files). A larger one
 * is reported as a problem of the history, never read into memory.
 */
export const MAX_HISTORY_FILE_BYTES = 64 * 1024 * 1024;

/** A history source over the lake: paths are under the folder `rootPath` (`/Day 01/A002R2EC`). */
export function lakeHistorySource(lake: ObjectStore, rootPath: string): HistorySource {
  return async (path) => {
    const key = assetKey(rootPath, path);
    const head = await lake.head(key);
    if (!head) return null;
    if (head.unsupported) throw new Error(`"${path}": ${head.unsupported}`);
    if (head.size > MAX_HISTORY_FILE_BYTES) throw new HistoryTooLarge(path, MAX_HISTORY_FILE_BYTES);
    return readAll(await lake.read(key), MAX_HISTORY_FILE_BYTES, path);
  };
}

/** Reads a stream whole, refusing it past `limit` bytes (it may have grown since the HEAD). */
export async function readAll(
  stream: AsyncIterable<Uint8Array>,
  limit: number,
  path: string,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total > limit) throw new HistoryTooLarge(path, limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
