import { NotFound } from '../../lib/errors.js';
import { folderSegments } from '../../lib/paths.js';
import type { Asset, Folder, FolderRepository } from '../../ports/catalog.js';
import { type Actor, ADMIN_GROUP } from './actor.js';

/**
 * Who may see what (DESIGN.md "Permissions"): a folder is visible when one of the actor's
 * groups is on that folder and on every folder above it; the root is open to every signed-in
 * user; admins see everything. Checks take sets, so bulk requests cost one query.
 * A denial is a NotFound, so nobody learns what exists.
 */
export class AccessPolicy {
  constructor(private readonly folders: FolderRepository) {}

  /** The subset of `paths` the actor may see. */
  async visibleFolderPaths(actor: Actor, paths: string[]): Promise<Set<string>> {
    const unique = [...new Set(paths)];
    if (isAdmin(actor)) return new Set(unique);
    const chain = new Set<string>();
    for (const path of unique) for (const ancestor of ancestorsOf(path)) chain.add(ancestor);
    const folders = await this.folders.getManyByPaths([...chain]);
    const groups = await this.folders.groupsOf(folders.map((f) => f.id));
    const allowedPath = new Map<string, boolean>();
    for (const folder of folders) {
      allowedPath.set(
        folder.path,
        (groups.get(folder.id) ?? []).some((g) => actor.groups.includes(g)),
      );
    }
    return new Set(unique.filter((path) => ancestorsOf(path).every((p) => allowedPath.get(p) === true)));
  }

  async canSeeFolder(actor: Actor, path: string): Promise<boolean> {
    return path === '/' || (await this.visibleFolderPaths(actor, [path])).has(path);
  }

  /** The folder, or NotFound when it is missing or hidden from the actor. */
  async requireFolder(actor: Actor, path: string): Promise<Folder> {
    const folder = await this.folders.getByPath(path);
    if (!folder || !(await this.canSeeFolder(actor, path)))
      throw new NotFound(`The folder "${path}" was not found.`);
    return folder;
  }

  /** Keeps the assets whose folder the actor may see; `folderPaths` maps folder id to path. */
  async filterAssets(actor: Actor, assets: Asset[], folderPaths: Map<string, string>): Promise<Asset[]> {
    if (isAdmin(actor)) return assets;
    const visible = await this.visibleFolderPaths(
      actor,
      assets.map((a) => folderPaths.get(a.folderId) ?? a.trashedFrom ?? ''),
    );
    return assets.filter((a) => visible.has(folderPaths.get(a.folderId) ?? a.trashedFrom ?? ''));
  }
}

export function isAdmin(actor: Actor): boolean {
  return actor.isAdmin || actor.groups.includes(ADMIN_GROUP);
}

/** `/A/B` → [`/A`, `/A/B`]; the root needs no check. */
function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const segment of folderSegments(path)) {
    current += `/${segment}`;
    out.push(current);
  }
  return out;
}
