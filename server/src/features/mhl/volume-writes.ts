import { randomUUID } from 'node:crypto';
import { type HistorySource, HistoryTooLarge } from '../../lib/mhl/mhl-history.js';
import type { Volume } from '../../ports/volume.js';
import { MAX_HISTORY_FILE_BYTES, readAll } from './lake-history.js';

/** A history source over an edit volume: paths are under the volume folder `root` ('' for the volume's root). */
export function volumeHistorySource(volume: Volume, root: string): HistorySource {
  return async (path) => {
    const full = root ? `${root}/${path}` : path;
    const stat = await volume.stat(full);
    if (!stat) return null;
    if (stat.size > MAX_HISTORY_FILE_BYTES) throw new HistoryTooLarge(path, MAX_HISTORY_FILE_BYTES);
    return readAll(await volume.read(full), MAX_HISTORY_FILE_BYTES, path);
  };
}

/**
 * Writes a small file (a generation, the chain) to a volume the way copies are written: under a
 * hidden temporary name, flushed, read back and compared, then given its name. `replace`
 * swaps an existing file (only the chain, which every generation rewrites); otherwise an
 * existing file is never touched and false is returned.
 */
export async function writeVolumeFile(
  volume: Volume,
  path: string,
  bytes: Buffer,
  options: { replace?: boolean } = {},
): Promise<boolean> {
  if (!options.replace && (await volume.stat(path))) return false;
  const readBack: Buffer[] = [];
  const temp = await volume.writeTemp(
    path,
    randomUUID(),
    {
      stream: (async function* () {
        yield bytes;
      })(),
    },
    { readBack: (chunk) => void readBack.push(Buffer.from(chunk)) },
  );
  try {
    if (!Buffer.concat(readBack).equals(bytes))
      throw new Error(`"${path}" read back differently from what was written; it was not kept.`);
    // The chain is replaced by removing it and placing the new one: a crash between the two
    // leaves the generations without a chain, which the next generation rebuilds from them.
    if (options.replace && (await volume.stat(path))) await volume.delete(path);
    await volume.commit(temp, path);
    return true;
  } catch (error) {
    await volume.delete(temp).catch(() => {});
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
