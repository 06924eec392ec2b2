import type { Actor } from '../../src/features/access/actor.js';
import { nameKey } from '../../src/lib/paths.js';

/**
 * What the lake, the catalog and the permissions should be, kept by hand from DESIGN.md's
 * rules (not from Dailies' code), for the model-based test. Folders are known by their
 * catalog id (ids survive moves); assets by theirs.
 */
export interface MFolder {
  id: string;
  path: string;
  parentId: string | null;
  groups: string[];
  /** An S3 lake holds the folder as a marker object (fs: a directory always). */
  marker: boolean;
}

export interface MAsset {
  id: string;
  folderId: string;
  name: string;
  size: number;
  trashedFrom: string | null;
}

export const ADMIN = 'admin';
export const EVERYONE = '*';

export class LakeModel {
  folders = new Map<string, MFolder>();
  assets = new Map<string, MAsset>();
  /** Effective groups of deleted folders, frozen when they went (their trashed assets keep them). */
  deletedAccess = new Map<string, string[]>();

  constructor(
    readonly s3: boolean,
    rootId: string,
  ) {
    this.folders.set(rootId, {
      id: rootId,
      path: '/',
      parentId: null,
      groups: [ADMIN, 'editors'],
      marker: true,
    });
  }

  get root(): MFolder {
    return [...this.folders.values()].find((f) => f.parentId === null)!;
  }
  byPath(path: string): MFolder | undefined {
    return [...this.folders.values()].find((f) => f.path === path);
  }
  sortedFolders(): MFolder[] {
    return [...this.folders.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  live(): MAsset[] {
    return [...this.assets.values()]
      .filter((a) => a.trashedFrom === null)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }
  trashed(): MAsset[] {
    return [...this.assets.values()]
      .filter((a) => a.trashedFrom !== null)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }
  children(id: string): MFolder[] {
    return [...this.folders.values()].filter((f) => f.parentId === id);
  }
  subtree(id: string): MFolder[] {
    const out: MFolder[] = [];
    const walk = (f: MFolder) => {
      out.push(f);
      for (const c of this.children(f.id)) walk(c);
    };
    walk(this.folders.get(id)!);
    return out;
  }

  /** A folder's effective groups: its own, narrowed by every folder above; the root is open to all. */
  effective(id: string): string[] {
    const f = this.folders.get(id);
    if (!f) return this.deletedAccess.get(id) ?? [];
    if (f.parentId === null) return [EVERYONE];
    const above = this.effective(f.parentId);
    return above.includes(EVERYONE) ? [...f.groups] : f.groups.filter((g) => above.includes(g));
  }
  sees(actor: Actor, folderId: string): boolean {
    if (actor.isAdmin) return true;
    const groups = this.effective(folderId);
    return groups.includes(EVERYONE) || groups.some((g) => actor.groups.includes(g));
  }

  /** Whether a sibling in `parentId` holds `name` exactly or as a twin (NFC + case folding). */
  taken(parentId: string, name: string, except: { folderId?: string; assetId?: string } = {}): boolean {
    const key = nameKey(name);
    return (
      this.children(parentId).some((f) => f.id !== except.folderId && nameKey(baseOf(f.path)) === key) ||
      this.live().some((a) => a.folderId === parentId && a.id !== except.assetId && nameKey(a.name) === key)
    );
  }

  /** Groups of a folder made in `parent` by `actor` (a person) or by the server (`system`). */
  groupsForNew(parent: MFolder, actor: Actor | 'system'): string[] {
    if (parent.parentId !== null || actor === 'system') return uniqueSorted([...parent.groups, ADMIN]);
    return uniqueSorted([...actor.groups, ADMIN]);
  }

  addFolder(id: string, parent: MFolder, name: string, groups: string[], marker: boolean): MFolder {
    const folder = { id, path: join(parent.path, name), parentId: parent.id, groups, marker };
    this.folders.set(id, folder);
    // The S3 lake makes markers like `mkdir -p` makes directories: every level gets one, so a
    // parent that held only the keys below it now outlives its child.
    if (marker)
      for (let up: MFolder | undefined = parent; up?.parentId; up = this.folders.get(up.parentId))
        up.marker = true;
    return folder;
  }

  deleteFolders(ids: string[]): void {
    for (const id of ids) this.deletedAccess.set(id, this.effective(id));
    for (const id of ids) this.folders.delete(id);
  }

  /** Rewrites the subtree's paths under `to`; groups stay, effective access follows the new parent. */
  moveFolder(id: string, newParentId: string, to: string): void {
    const from = this.folders.get(id)!.path;
    for (const f of this.subtree(id)) f.path = to + f.path.slice(from.length);
    this.folders.get(id)!.parentId = newParentId;
  }

  /** An S3 lake holds a folder while it has a marker or anything below it. */
  inLake(id: string): boolean {
    if (!this.s3) return true;
    const sub = this.subtree(id);
    const ids = new Set(sub.map((f) => f.id));
    return sub.some((f) => f.marker) || this.live().some((a) => ids.has(a.folderId));
  }

  /** Reconcile drops folders the lake no longer holds that hold nothing (deepest first). */
  reconcileFolders(): void {
    for (;;) {
      const gone = this.sortedFolders()
        .reverse()
        .find(
          (f) =>
            f.parentId !== null &&
            !this.inLake(f.id) &&
            this.children(f.id).length === 0 &&
            !this.live().some((a) => a.folderId === f.id),
        );
      if (!gone) return;
      this.deleteFolders([gone.id]);
    }
  }

  keyOf(a: MAsset): string {
    const path = this.folders.get(a.folderId)!.path;
    return path === '/' ? a.name : `${path.slice(1)}/${a.name}`;
  }
}

export function join(folder: string, name: string): string {
  return folder === '/' ? `/${name}` : `${folder}/${name}`;
}
export function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
export function isWithin(path: string, ancestor: string): boolean {
  return ancestor === '/' || path === ancestor || path.startsWith(`${ancestor}/`);
}
export function uniqueSorted(list: string[]): string[] {
  return [...new Set(list)].sort();
}
