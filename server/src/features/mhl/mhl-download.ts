import { hostname } from 'node:os';
import { HISTORY_FOLDER } from '../../lib/mhl/mhl-paths.js';
import { type GenerationFile, writeGeneration } from '../../lib/mhl/mhl-writer.js';
import { assetKey, baseName, folderKey, folderSegments } from '../../lib/paths.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { loadVisibleAssets } from '../assets/asset-access.js';
import { toolVersion } from './generation-files.js';

export interface MhlDownloadDeps {
  catalog: Catalog;
  access: AccessPolicy;
  clock: Clock;
}

export interface MhlFile {
  fileName: string;
  body: string;
  /** Assets listed, and those left out because their checksums are not taken yet. */
  listed: number;
  pending: number;
}

/**
 * An MHL generation of what the lake holds in a folder (and below) or in a selection, with the
 * checksums Dailies took of each original: something the editors or a vendor can check a
 * delivery against with any MHL tool. Only what the caller may see is listed; a folder they
 * cannot see is a 404 like a missing one.
 */
export class MhlDownload {
  constructor(private readonly deps: MhlDownloadDeps) {}

  async ofFolder(actor: Actor, folderPath: string): Promise<MhlFile> {
    const { catalog, access } = this.deps;
    const folder = await access.requireFolder(actor, folderPath);
    const below = (await catalog.folders.subtree(folder.path)).filter(
      (f) => !folderSegments(f.path).slice(folderSegments(folder.path).length).includes(HISTORY_FOLDER),
    );
    const visible = await access.visibleFolderIds(
      actor,
      below.map((f) => f.id),
    );
    const folders = below.filter((f) => visible.has(f.id));
    const pathOf = new Map(folders.map((f) => [f.id, f.path]));
    const assets = await catalog.assets.liveInFolders(folders.map((f) => f.id));
    return this.generation(folder.path, assets, pathOf, baseName(folder.path) || 'lake');
  }

  async ofSelection(actor: Actor, assetIds: string[]): Promise<MhlFile> {
    const { assets, folderPaths } = await loadVisibleAssets(
      this.deps.catalog,
      this.deps.access,
      actor,
      assetIds,
    );
    const common = commonFolder([...new Set(assets.map((a) => folderPaths.get(a.folderId)!))]);
    return this.generation(common, assets, folderPaths, 'selection');
  }

  private generation(root: string, assets: Asset[], pathOf: Map<string, string>, name: string): MhlFile {
    const prefix = folderKey(root);
    const files: GenerationFile[] = [];
    let pending = 0;
    for (const asset of assets) {
      if (!asset.checksumXxh64 || !asset.checksumMd5) {
        pending += 1;
        continue;
      }
      const key = assetKey(pathOf.get(asset.folderId)!, asset.name);
      files.push({
        path: prefix ? key.slice(prefix.length + 1) : key,
        size: asset.size,
        lastModified: asset.lakeMtime,
        values: {
          md5: { value: asset.checksumMd5, action: 'original', hashDate: asset.updatedAt },
          xxh64: { value: asset.checksumXxh64, action: 'original', hashDate: asset.updatedAt },
        },
      });
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const now = this.deps.clock.now();
    const body = writeGeneration({
      createdAt: now,
      hostname: hostname(),
      toolVersion: toolVersion(),
      process: 'in-place',
      comment:
        pending > 0
          ? `Checksums taken by Dailies as each file entered its content lake. ${pending} file(s) not yet checksummed are not listed.`
          : 'Checksums taken by Dailies as each file entered its content lake.',
      files,
    });
    const stamp = new Date(now).toISOString().slice(0, 19).replaceAll(':', '').replace('T', '_');
    return { fileName: `${name}_${stamp}Z.mhl`, body, listed: files.length, pending };
  }
}

/** The deepest folder holding every one of `paths`. */
export function commonFolder(paths: string[]): string {
  if (paths.length === 0) return '/';
  let common = folderSegments(paths[0]!);
  for (const path of paths.slice(1)) {
    const segments = folderSegments(path);
    let i = 0;
    while (i < common.length && i < segments.length && common[i] === segments[i]) i += 1;
    common = common.slice(0, i);
  }
  return common.length === 0 ? '/' : `/${common.join('/')}`;
}
