import { Conflict, Invalid, NotFound } from '../../lib/errors.js';
import { assetKey, folderKey, folderSegments, parentPath, RESERVED_PREFIX } from '../../lib/paths.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import type { AssetView } from '../assets/asset.view.js';
import { loadVisibleAssets } from '../assets/asset-access.js';
import type { AssetsService } from '../assets/assets.service.js';
import { decodeCursor, encodeCursor } from '../assets/cursor.js';
import type { AuditService } from '../audit/audit.service.js';
import { ensureFolderChain } from '../folders/folder-tree.js';
import { requireFreeName } from '../folders/sibling-names.js';
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

  /** One page of the trash, newest first; `nextCursor` asks for the next one. */
  async list(
    actor: Actor,
    query: { limit?: number; cursor?: string } = {},
  ): Promise<{ items: AssetView[]; nextCursor: string | null }> {
    const { catalog, access } = this.deps;
    const limit = query.limit ?? 200;
    let before: { at: number; id: string } | undefined;
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      if (typeof cursor.value !== 'number')
        throw new Invalid('The cursor is not valid; start again from the first page.');
      before = { at: cursor.value, id: cursor.id };
    }
    const page = await catalog.assets.trashedPage(access.scope(actor), limit, before);
    const last = page[page.length - 1];
    // No folder map: a trashed asset shows the folder it was deleted from.
    return {
      items: await this.deps.assets.views(page, new Map()),
      nextCursor: page.length === limit && last ? encodeCursor({ value: last.trashedAt, id: last.id }) : null,
    };
  }

  async restore(actor: Actor, ids: string[]): Promise<{ restored: number }> {
    const { catalog, lake, clock, events, audit, access } = this.deps;
    const { assets } = await loadVisibleAssets(catalog, access, actor, ids, { require: true, trashed: true });
    for (const asset of assets) {
      const folderPath = asset.trashedFrom ?? '/';
      await this.requireWritable(actor, folderPath);
      const { folder, created } = await ensureFolderChain(catalog, folderPath, actor, clock.now());
      // The lake holds every folder the catalog does (an S3 lake: a marker), so an emptied one stays.
      if (created.length > 0) await lake.createFolder(folderKey(folderPath));
      if (await catalog.assets.findLive(folder.id, asset.name)) {
        throw new Conflict(`"${asset.name}" already exists in ${folderPath}; rename that one first.`);
      }
      await requireFreeName({ catalog, access }, actor, folder, asset.name, { assetId: asset.id });
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

  /**
   * Restore recreates the path an asset was deleted from: the actor must be able to write the
   * deepest part of it that still exists (a folder since hidden from them, or made by someone
   * else in between, answers as missing).
   */
  private async requireWritable(actor: Actor, folderPath: string): Promise<void> {
    const { catalog, access } = this.deps;
    let existing = folderPath;
    while (existing !== '/' && !(await catalog.folders.getByPath(existing))) existing = parentPath(existing)!;
    if (!(await access.canSeeFolder(actor, existing)))
      throw new NotFound(`The folder "${folderPath}" was not found; the asset cannot be restored there.`);
    // A folder made again must not sit beside a twin made since.
    const missing = folderSegments(folderPath)[folderSegments(existing).length];
    const deepest = await catalog.folders.getByPath(existing);
    if (missing !== undefined && deepest) await requireFreeName({ catalog, access }, actor, deepest, missing);
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
