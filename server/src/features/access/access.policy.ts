import { Forbidden, NotFound } from '../../lib/errors.js';
import type { AccessScope, Asset, Folder, FolderRepository } from '../../ports/catalog.js';
import { type Actor, ADMIN_GROUP } from './actor.js';

/**
 * Who may see what (DESIGN.md "Permissions"): a folder is visible when one of the actor's
 * groups is on that folder and on every folder above it; the root is open to every signed-in
 * user; admins see everything. The catalog keeps each folder's effective groups (its own
 * intersected with its parent's), so a check is one indexed query for any number of folders
 * and lists filter in the query through `scope`. A denial is a NotFound, so nobody learns
 * what exists.
 */
export class AccessPolicy {
  constructor(private readonly folders: FolderRepository) {}

  /** What a list or search query may return for this actor. */
  scope(actor: Actor): AccessScope {
    return isAdmin(actor) ? { all: true } : { all: false, groups: [...actor.groups] };
  }

  /** The subset of `folderIds` the actor may see. */
  async visibleFolderIds(actor: Actor, folderIds: string[]): Promise<Set<string>> {
    return this.folders.visibleIds(folderIds, this.scope(actor));
  }

  /** The subset of `paths` the actor may see (admins: all of them, existing or not). */
  async visibleFolderPaths(actor: Actor, paths: string[]): Promise<Set<string>> {
    const unique = [...new Set(paths)];
    if (isAdmin(actor)) return new Set(unique);
    const folders = await this.folders.getManyByPaths(unique);
    const visible = await this.visibleFolderIds(
      actor,
      folders.map((f) => f.id),
    );
    return new Set(folders.filter((f) => visible.has(f.id)).map((f) => f.path));
  }

  /** For the event stream and anything else that holds a path: may this actor see that folder? */
  async canSeeFolder(actor: Actor, path: string): Promise<boolean> {
    return path === '/' || (await this.visibleFolderPaths(actor, [path])).has(path);
  }

  /** The folder, or NotFound when it is missing or hidden from the actor. */
  async requireFolder(actor: Actor, path: string): Promise<Folder> {
    const folder = await this.folders.getByPath(path);
    if (!folder || !(await this.visibleFolderIds(actor, [folder.id])).has(folder.id))
      throw new NotFound(`The folder "${path}" was not found.`);
    return folder;
  }

  /**
   * Keeps the assets whose folder the actor may see. A trashed asset keeps its folder id, and
   * the catalog keeps a deleted folder's access, so the trash follows the same rule.
   */
  async filterAssets(actor: Actor, assets: Asset[], _folderPaths?: Map<string, string>): Promise<Asset[]> {
    if (isAdmin(actor)) return assets;
    const visible = await this.visibleFolderIds(
      actor,
      assets.map((a) => a.folderId),
    );
    return assets.filter((a) => visible.has(a.folderId));
  }
}

export function isAdmin(actor: Actor): boolean {
  return actor.isAdmin || actor.groups.includes(ADMIN_GROUP);
}

/** Admins use every edit volume; others one whose groups they share. */
export function mayUseVolume(actor: Actor, volume: { groups: string[] }): boolean {
  return isAdmin(actor) || volume.groups.some((g) => actor.groups.includes(g));
}

/** Removing a copy changed on the volume since Dailies wrote it loses someone's work: admins only. */
export function mayForceVolumeRemoval(actor: Actor): boolean {
  return isAdmin(actor);
}

/** A job names what its asker may see: only they (or an admin) may follow it. */
export function mayFollowJob(actor: Actor, job: { data: unknown }): boolean {
  return isAdmin(actor) || (job.data as { actorId?: string }).actorId === actor.id;
}

/** Work on the whole deployment (a re-index of the lake): admins only. */
export function requireAdmin(actor: Actor, what: string): void {
  if (!isAdmin(actor)) throw new Forbidden(`Only admins ${what}.`);
}
