import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type HashFormat, hashAll } from '../../../src/lib/mhl/hash-formats.js';
import type { HistorySource } from '../../../src/lib/mhl/mhl-history.js';

/** The standard's own example histories (MIT, copied unchanged into the shared reference). */
export const EXAMPLES = '/work/shared/reference/ascmhl/examples';
export const XSD = '/work/shared/reference/ascmhl/xsd';

/** A history source over a directory, as the lake or a volume would answer. */
export function directorySource(root: string, limit = 64 * 1024 * 1024): HistorySource {
  return async (path) => {
    try {
      const full = join(root, path);
      if (statSync(full).size > limit) throw new Error(`"${path}" is too large`);
      return readFileSync(full);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };
}

/** Every file under `root` outside history folders, as paths under it with their sizes. */
export function presentFiles(root: string): Array<{ path: string; size: number; full: string }> {
  const out: Array<{ path: string; size: number; full: string }> = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        if (name !== 'ascmhl') walk(full);
      } else out.push({ path: relative(root, full), size: statSync(full).size, full });
    }
  };
  walk(root);
  return out;
}

export async function hashFile(file: { full: string }, formats: HashFormat[]) {
  return hashAll(formats, readFileSync(file.full));
}
