import { NotFound } from '../../lib/errors.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';

export interface LoadedAssets {
  assets: Asset[];
  /** Folder id → folder path, for every asset loaded. */
  folderPaths: Map<string, string>;
}

/**
 * Loads the named assets the actor may see. `require` throws NotFound unless every id is
 * there and visible, so a forbidden asset and a missing one look the same.
 */
export async function loadVisibleAssets(
  catalog: Catalog,
  access: AccessPolicy,
  actor: Actor,
  ids: string[],
  options: { require: boolean; trashed?: boolean } = { require: true },
): Promise<LoadedAssets> {
  const unique = [...new Set(ids)];
  const rows = (await catalog.assets.getMany(unique)).filter((a) =>
    options.trashed ? a.trashedAt !== null : a.trashedAt === null,
  );
  const folders = await catalog.folders.getManyByIds([...new Set(rows.map((a) => a.folderId))]);
  const folderPaths = new Map(folders.map((f) => [f.id, f.path]));
  const visible = await access.filterAssets(actor, rows, folderPaths);
  if (options.require && visible.length !== unique.length) {
    throw new NotFound(
      unique.length === 1 ? 'The asset was not found.' : 'One or more assets were not found.',
    );
  }
  return { assets: visible, folderPaths };
}
