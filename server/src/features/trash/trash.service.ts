import { Conflict } from '../../lib/errors.js';
import { assetKey, RESERVED_PREFIX } from '../../lib/paths.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import type { AssetView } from '../assets/asset.view.js';
import { loadVisibleAssets } from '../assets/asset-access.js';
import type { AssetsService } from '../assets/assets.service.js';
import type { AuditService } from '../audit/audit.service.js';
import { ensureFolderChain } from '../folders/folder-tree.js';
import type { ProcessingTrigger } from '../indexing/processing-trigger.js';

/** Deleted originals wait here, by asset id, hidden from every listing. */
export const TRASH_PREFIX = `${RESERVED_PREFIX}trash/`;

interface Deps {
  catalog: Catalog;
  lake: ObjectStore;
  access: AccessPolicy;
  audit: AuditService;
  events: EventBus;
  clock: Clock;
  processing: ProcessingTrigger;
  assets: AssetsService;
}

/** Delete to trash, restore, empty. Derivatives stay until the trash is emptied. */
export class TrashService {
  constructor(private readonly deps: Deps) {}

  async trash(actor: Actor, ids: string[]): Promise<{ deleted: number }> {
    const { catalog, access } = this.deps;
    const { assets, folderPaths } = await loadVisibleAssets(catalog, access, actor, ids);
    for (const asset of assets) await this.trashOne(actor, asset, folderPaths.get(asset.folderId)!);
    return { deleted: assets.length };
  }

  /** Moves one asset's original into the trash, then marks its row. */
  async trashOne(actor: Actor, asset: Asset, folderPath: string): Promise<void> {
    const { catalog, lake, clock, events, audit } = this.deps;
    const trashKey = `${TRASH_PREFIX}${asset.id}/${asset.name}`;
    const key = assetKey(folderPath, asset.name);
    if (await lake.head(key)) await lake.move(key, trashKey);
    await catalog.assets.update(asset.id, { trashedAt: clock.now(), trashedFrom: folderPath, trashKey });
    await audit.record(
      actor,
      'asset.delete',
      { type: 'asset', id: asset.id },
      { name: asset.name, folder: folderPath },
    );
    events.publish({ type: 'asset.deleted', assetId: asset.id, folderPath });
  }

  async list(actor: Actor): Promise<AssetView[]> {
    const { catalog, access } = this.deps;
    const visible = await catalog.assets.trashed(access.scope(actor));
    // No folder map: a trashed asset shows the folder it was deleted from.
    return this.deps.assets.views(visible, new Map());
  }

  async restore(actor: Actor, ids: string[]): Promise<{ restored: number }> {
    const { catalog, lake, clock, events, audit, access } = this.deps;
    const { assets } = await loadVisibleAssets(catalog, access, actor, ids, { require: true, trashed: true });
    for (const asset of assets) {
      const folderPath = asset.trashedFrom ?? '/';
      const { folder } = await ensureFolderChain(catalog, folderPath, actor, clock.now());
      if (await catalog.assets.findLive(folder.id, asset.name)) {
        throw new Conflict(`"${asset.name}" already exists in ${folderPath}; rename that one first.`);
      }
      const object = await lake.move(asset.trashKey!, assetKey(folderPath, asset.name));
      await catalog.assets.update(asset.id, {
        folderId: folder.id,
        trashedAt: null,
        trashedFrom: null,
        trashKey: null,
        etag: object.etag,
        lakeMtime: object.mtime,
      });
      await audit.record(
        actor,
        'asset.restore',
        { type: 'asset', id: asset.id },
        { name: asset.name, folder: folderPath },
      );
      events.publish({ type: 'asset.restored', assetId: asset.id, folderPath });
    }
    return { restored: assets.length };
  }

  /** Deletes originals and derivatives for good. Admins empty everything; others what they see. */
  async empty(actor: Actor, options: { olderThan?: number } = {}): Promise<{ purged: number }> {
    const { catalog, lake, audit, processing, access } = this.deps;
    const older = (a: Asset) => options.olderThan === undefined || (a.trashedAt ?? 0) < options.olderThan;
    const visible = (await catalog.assets.trashed(access.scope(actor))).filter(older);
    for (const asset of visible) {
      if (asset.trashKey) await lake.delete(asset.trashKey);
      await catalog.assets.delete([asset.id]);
    }
    await processing.assetsRemoved(visible.map((a) => a.id));
    await audit.record(actor, 'trash.empty', {}, { purged: visible.length });
    return { purged: visible.length };
  }
}
