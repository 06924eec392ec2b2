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
 * Groups of a new folder: a person's groups plus `admin`; a folder the server finds or makes
 * on its own (watcher, reconcile, import) takes its parent's.
 */
export function groupsForNewFolder(actor: Actor, parentGroups: string[]): string[] {
  if (actor.id === SYSTEM_ACTOR.id)
    return parentGroups.includes(ADMIN_GROUP) ? parentGroups : [...parentGroups, ADMIN_GROUP];
  if (actor.groups.length === 0)
    throw new Forbidden(
      'You belong to no group, so a folder you made would be hidden from you; ask an admin to add you to one.',
    );
  return [...new Set([...actor.groups, ADMIN_GROUP])];
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
        await catalog.folders.insert(folder, groupsForNewFolder(actor, parentGroups));
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
