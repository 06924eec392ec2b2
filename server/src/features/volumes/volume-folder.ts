import { Invalid } from '../../lib/errors.js';
import { normalizeFolderPath } from '../../lib/paths.js';
import type { Asset } from '../../ports/catalog.js';
import type { Actor } from '../access/actor.js';
import type { VolumeCopy } from './volume-copy.js';
import type { QueuedJobs, VolumeParts } from './volume-jobs.js';
import type { VolumeRemove } from './volume-remove.js';

/** As many assets as one request may name: a folder holding more is copied a subfolder at a time. */
const MAX_FOLDER_ASSETS = 10_000;

/**
 * A whole folder to or from a volume: the live assets of the folder and every subfolder the
 * caller may see, each through the asset copy or removal (one verified job per asset, the
 * lake's structure kept under the volume root). A subfolder hidden from the caller is left out
 * as if it did not exist: nothing in the answer counts or names it. A hidden or missing folder
 * is the same 404.
 */
export class VolumeFolder {
  constructor(
    private readonly deps: Pick<VolumeParts, 'catalog' | 'access' | 'registry' | 'locations'>,
    private readonly copy: VolumeCopy,
    private readonly removal: VolumeRemove,
  ) {}

  async requestCopy(actor: Actor, volumeId: string, folderPath: string): Promise<QueuedJobs> {
    this.deps.registry.require(actor, volumeId);
    const assets = await this.visibleAssets(actor, folderPath);
    if (assets.length === 0) return { jobs: [] };
    return this.copy.request(
      actor,
      volumeId,
      assets.map((a) => a.id),
    );
  }

  /** Only the assets that have a copy on the volume; the others have nothing to remove. */
  async requestRemove(
    actor: Actor,
    volumeId: string,
    folderPath: string,
    force = false,
  ): Promise<QueuedJobs> {
    this.deps.registry.require(actor, volumeId);
    const assets = await this.visibleAssets(actor, folderPath);
    const held = new Set(
      (await this.deps.locations.forAssets(assets.map((a) => a.id)))
        .filter((l) => l.volumeId === volumeId)
        .map((l) => l.assetId),
    );
    const ids = assets.filter((a) => held.has(a.id)).map((a) => a.id);
    if (ids.length === 0) return { jobs: [] };
    return this.removal.request(actor, volumeId, ids, force);
  }

  /** Live assets of the folder and of every subfolder the actor may see, by path then name. */
  private async visibleAssets(actor: Actor, path: string): Promise<Asset[]> {
    const { catalog, access } = this.deps;
    const folder = await access.requireFolder(actor, normalizeFolderPath(path));
    const subtree = await catalog.folders.subtree(folder.path);
    const visible = await access.visibleFolderIds(
      actor,
      subtree.map((f) => f.id),
    );
    const pathOf = new Map(subtree.map((f) => [f.id, f.path]));
    const assets = await catalog.assets.liveInFolders([...visible]);
    if (assets.length > MAX_FOLDER_ASSETS)
      throw new Invalid(
        `"${folder.path}" holds more than ${MAX_FOLDER_ASSETS.toLocaleString('en')} assets; copy or remove its subfolders one at a time.`,
      );
    return assets.sort(
      (a, b) =>
        (pathOf.get(a.folderId) ?? '').localeCompare(pathOf.get(b.folderId) ?? '') ||
        a.name.localeCompare(b.name),
    );
  }
}
