import { randomUUID } from 'node:crypto';
import { Conflict, Forbidden } from '../../lib/errors.js';
import { baseName, folderSegments } from '../../lib/paths.js';
import type { Catalog, Folder } from '../../ports/catalog.js';
import { type Actor, ADMIN_GROUP, EDITORS_GROUP, SYSTEM_ACTOR } from '../access/actor.js';

/** The root's groups: new top-level folders found in the lake inherit them. */
export const ROOT_GROUPS = [ADMIN_GROUP, EDITORS_GROUP];

export async function ensureRoot(catalog: Catalog, now: number): Promise<Folder> {
  const existing = await catalog.folders.getByPath('/');
  if (existing) return existing;
  const root: Folder = {
    id: randomUUID(),
    path: '/',
    parentId: null,
    name: '',
    createdBy: null,
    createdAt: now,
    updatedAt: now,
  };
  await catalog.folders.insert(root, ROOT_GROUPS);
  return root;
}

/**
 * Groups of a new folder (DESIGN.md "Permissions"): one made inside another — by a person, an
 * upload, an import, or another tool writing the lake — takes its parent's groups, so a folder
 * shared with editors stays shared all the way down. One made at the root by a person gets
 * that person's groups plus `admin` (MAPS); one the server finds at the root (watcher,
 * reconcile) takes the root's. `admin` is always among them.
 */
export function groupsForNewFolder(actor: Actor, parent: Folder, parentGroups: string[]): string[] {
  if (parent.parentId !== null || actor.id === SYSTEM_ACTOR.id)
    return [...new Set([...parentGroups, ADMIN_GROUP])].sort();
  if (actor.groups.length === 0)
    throw new Forbidden(
      'You belong to no group, so a folder you made would be hidden from you; ask an admin to add you to one.',
    );
  return [...new Set([...actor.groups, ADMIN_GROUP])].sort();
}

/** Returns the folder at `path`, creating it and any missing parents in the catalog. */
export async function ensureFolderChain(
  catalog: Catalog,
  path: string,
  actor: Actor,
  now: number,
): Promise<{ folder: Folder; created: Folder[] }> {
  const created: Folder[] = [];
  let parent = await ensureRoot(catalog, now);
  let current = '';
  for (const segment of folderSegments(path)) {
    current += `/${segment}`;
    let folder = await catalog.folders.getByPath(current);
    if (!folder) {
      const parentGroups = (await catalog.folders.groupsOf([parent.id])).get(parent.id) ?? [];
      folder = {
        id: randomUUID(),
        path: current,
        parentId: parent.id,
        name: baseName(current),
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await catalog.folders.insert(folder, groupsForNewFolder(actor, parent, parentGroups));
        created.push(folder);
      } catch (error) {
        // Another request made it a moment ago: use theirs.
        if (!(error instanceof Conflict)) throw error;
        folder = (await catalog.folders.getByPath(current))!;
      }
    }
    parent = folder;
  }
  return { folder: parent, created };
}
