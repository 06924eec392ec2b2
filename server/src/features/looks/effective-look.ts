import { folderSegments } from '../../lib/paths.js';
import type { Catalog } from '../../ports/catalog.js';
import type { FolderLook } from '../../ports/looks.js';

/** The folder and every folder above it, the root first. */
export function pathsUpTo(path: string): string[] {
  const segments = folderSegments(path);
  return ['/', ...segments.map((_, i) => `/${segments.slice(0, i + 1).join('/')}`)];
}

/**
 * The look a folder's assets get: its own, else the nearest folder's above it that has one
 * (inherited down, like permissions). A look with no LUT and no burn-in stops the inheritance:
 * that is how a folder opts out of its parent's look.
 */
export async function effectiveLook(
  catalog: Catalog,
  folderPath: string,
): Promise<(FolderLook & { from: string }) | null> {
  const folders = await catalog.folders.getManyByPaths(pathsUpTo(folderPath));
  const looks = await catalog.looks.getMany(folders.map((f) => f.id));
  if (looks.length === 0) return null;
  const pathOf = new Map(folders.map((f) => [f.id, f.path]));
  let best: (FolderLook & { from: string }) | null = null;
  for (const look of looks) {
    const from = pathOf.get(look.folderId) ?? '/';
    if (!best || from.length > best.from.length) best = { ...look, from };
  }
  return best;
}

/** Whether a look changes any picture. */
export function isVisible(look: Pick<FolderLook, 'lut' | 'burnIn'> | null): boolean {
  return (
    !!look && (look.lut !== null || look.burnIn.clipName || look.burnIn.timecode || look.burnIn.frameCounter)
  );
}

/** Tells two looks apart: the job that made a derivative compares it with the look now. */
export function lookVersion(look: (FolderLook & { from: string }) | null): string {
  return look ? `${look.folderId}:${look.updatedAt}:${look.lut?.digest ?? '-'}` : 'none';
}
