import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { MediaError } from '../../ports/media.js';

/** Part of every unfinished output's name; such files are never served and may be swept. */
export const PARTIAL_MARKER = '.partial';

export function isPartialFile(name: string): boolean {
  return name.startsWith('.') && name.includes(PARTIAL_MARKER);
}

/** A hidden temporary name beside `finalPath`, with its extension (for the tools). */
export function temporaryBeside(finalPath: string): string {
  const extension = extname(finalPath);
  return join(
    dirname(finalPath),
    `.${basename(finalPath, extension)}.${randomBytes(4).toString('hex')}${PARTIAL_MARKER}${extension}`,
  );
}

/**
 * Lets `produce` write a hidden temporary file beside `finalPath`, then renames it into place
 * (atomic on one filesystem). A failure, or a kill before the rename, never leaves a
 * half-written file under the final name. The extension is kept so tools still see it.
 */
export async function writeAtomically(
  finalPath: string,
  produce: (tempPath: string) => Promise<void>,
): Promise<number> {
  await mkdir(dirname(finalPath), { recursive: true });
  const temp = temporaryBeside(finalPath);
  try {
    await produce(temp);
    const size = await stat(temp).then(
      (info) => info.size,
      () => 0,
    );
    if (size === 0)
      throw new MediaError(`Nothing was written for ${basename(finalPath)}.`, { deterministic: true });
    await rename(temp, finalPath);
    return size;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
