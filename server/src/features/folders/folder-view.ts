import { nameKey, parentPath } from '../../lib/paths.js';
import type { Catalog, Folder } from '../../ports/catalog.js';

/**
 * Who can see a folder, and why (DESIGN.md "Permissions": the screen always says it). A member
 * of one of `visibleTo` sees the folder (admins see everything); the root is open to every
 * signed-in user (`everyone`).
 */
export interface FolderAccessView {
  visibleTo: string[];
  everyone: boolean;
  /** Where the folder's own groups come from: the root's own, the same as its parent's, or set on it. */
  source: 'root' | 'parent' | 'own';
  /** Groups set on this folder that a folder above does not have: their members still cannot see it. */
  limitedBy: Array<{ group: string; folder: string }>;
}

export interface FolderView {
  id: string;
  path: string;
  name: string;
  /** The folder's own groups. */
  groups: string[];
  access: FolderAccessView;
  /** Set when a sibling's name equals this one after case folding and NFC (written by another tool). */
  warning?: string;
  createdAt: string;
  modifiedAt: string;
}

/** Views of `folders`, with their access explained from the folders above them. */
export async function folderViews(
  catalog: Catalog,
  folders: Folder[],
  warnings: Map<string, string> = new Map(),
): Promise<FolderView[]> {
  const ancestorPaths = new Set<string>();
  for (const f of folders) {
    for (let p = parentPath(f.path); p !== null; p = parentPath(p)) ancestorPaths.add(p);
  }
  const known = new Map(folders.map((f) => [f.path, f]));
  for (const a of await catalog.folders.getManyByPaths([...ancestorPaths].filter((p) => !known.has(p))))
    known.set(a.path, a);
  const ids = [...new Set([...known.values()].map((f) => f.id))];
  const own = await catalog.folders.groupsOf(ids);
  const effective = await catalog.folders.accessOf(folders.map((f) => f.id));
  const groupsAt = (path: string | null) => {
    const f = path === null ? undefined : known.get(path);
    return f ? (own.get(f.id) ?? []) : [];
  };
  return folders.map((folder) => {
    const groups = own.get(folder.id) ?? [];
    const visible = effective.get(folder.id) ?? [];
    const everyone = visible.includes('*');
    const parent = parentPath(folder.path);
    const same = (a: string[], b: string[]) => [...a].sort().join('\n') === [...b].sort().join('\n');
    const limitedBy: FolderAccessView['limitedBy'] = [];
    if (!everyone) {
      for (const group of groups.filter((g) => !visible.includes(g))) {
        // The nearest folder above (the root excepted: it is open to all) that lacks the group.
        for (let p = parent; p !== null && p !== '/'; p = parentPath(p)) {
          if (!groupsAt(p).includes(group)) {
            limitedBy.push({ group, folder: p });
            break;
          }
        }
      }
    }
    return {
      id: folder.id,
      path: folder.path,
      name: folder.name,
      groups,
      access: {
        visibleTo: everyone ? groups : visible,
        everyone,
        source:
          parent === null ? 'root' : parent !== '/' && same(groups, groupsAt(parent)) ? 'parent' : 'own',
        limitedBy,
      },
      ...(warnings.has(folder.id) ? { warning: warnings.get(folder.id) } : {}),
      createdAt: new Date(folder.createdAt).toISOString(),
      modifiedAt: new Date(folder.updatedAt).toISOString(),
    };
  });
}

/**
 * Warnings for folders of one parent whose name another folder or a live asset there shares
 * after case folding and NFC: such pairs come from another tool writing the lake; Dailies shows
 * both, never merges them, and refuses to make more.
 */
export async function twinFolderWarnings(
  catalog: Catalog,
  parentId: string,
  folders: Folder[],
): Promise<Map<string, string>> {
  const warnings = new Map<string, string>();
  const byKey = new Map<string, Folder[]>();
  for (const f of folders) byKey.set(nameKey(f.name), [...(byKey.get(nameKey(f.name)) ?? []), f]);
  for (const [key, group] of byKey) {
    const assets = await catalog.assets.findLiveByKey(parentId, key);
    const names = [...group.map((f) => f.name), ...assets.map((a) => a.name)];
    if (names.length < 2) continue;
    for (const f of group) {
      const others = names.filter((n) => n !== f.name);
      warnings.set(
        f.id,
        `"${f.name}" differs from ${others.map((n) => `"${n}"`).join(', ')} here only in case or Unicode form: an editor's volume (SMB, NTFS, APFS) cannot hold both. Rename one.`,
      );
    }
  }
  return warnings;
}
