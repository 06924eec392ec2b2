import { statfs } from 'node:fs/promises';

/** The size and free space of the file system holding `path` (a mounted volume); null when unreadable. */
export async function fileSystemSpace(path: string): Promise<{ total: number; free: number } | null> {
  try {
    const stats = await statfs(path);
    return { total: stats.blocks * stats.bsize, free: stats.bavail * stats.bsize };
  } catch {
    return null;
  }
}
