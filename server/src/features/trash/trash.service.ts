import { crashPoint } from '../../lib/crash-points.js';
import { Conflict, Invalid, NotFound } from '../../lib/errors.js';
import { assetKey, folderKey, folderSegments, parentPath, RESERVED_PREFIX } from '../../lib/paths.js';
import type { Asset, Catalog, LakeIntent } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { AccessPolicy } from '../access/access.policy.js';
import { type Actor, SYSTEM_ACTOR } from '../access/actor.js';
import type { AssetView } from '../assets/asset.view.js';
import { loadVisibleAssets } from '../assets/asset-access.js';
import type { AssetsService } from '../assets/assets.service.js';
import { decodeCursor, encodeCursor } from '../assets/cursor.js';
import type { AuditService } from '../audit/audit.service.js';
import { ensureFolderChain } from '../folders/folder-tree.js';
import { requireFreeName } from '../folders/sibling-names.js';
import { actorDetail, intentActor, type LakeIntents, requireFolderPaths } from '../indexing/lake-intents.js';
import type { ProcessingTrigger } from '../indexing/processing-trigger.js';
import type { AssetObjects } from '../sequences/sequence-objects.js';

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
  intents: LakeIntents;
  /** The asset's file, or every frame of an image sequence. */
  objects: AssetObjects;
}

/** Delete to trash, restore, empty. Derivatives stay until the trash is emptied. */
export class TrashService {
  constructor(private readonly deps: Deps) {
    deps.intents.settleWith('trash', (intent) => this.settleTrash(intent));
    deps.intents.settleWith('restore', (intent) => this.settleRestore(intent));
  }

  async trash(actor: Actor, ids: string[]): Promise<{ deleted: number }> {
    const { catalog, access } = this.deps;
    const { assets, folderPaths } = await loadVisibleAssets(catalog, access, actor, ids);
    for (const asset of assets) await this.trashOne(actor, asset, folderPaths.get(asset.folderId)!);
    return { deleted: assets.length };
  }

  /**
   * Moves one asset's original into the trash, then marks its row. An intent covers the window
   * between the two, so a crash there ends with the asset in the trash, not lost between.
   */
  async trashOne(actor: Actor, asset: Asset, folderPath: string): Promise<void> {
    const { objects, intents } = this.deps;
    const key = assetKey(folderPath, asset.name);
    const intent = await intents.begin('trash', {
      assetId: asset.id,
      fromKey: key,
      toKey: `${TRASH_PREFIX}${asset.id}/${asset.name}`,
      detail: {
        ...actorDetail(actor),
        folderPath,
        name: asset.name,
        ...(await objects.intentDetail(asset.id)),
      },
    });
    try {
      await intents.refuseConflicting(intent);
      await requireFolderPaths(this.deps.catalog, [[asset.folderId, folderPath]]);
      // Never a trashed asset without its original: one missing from the lake is not moved to
      // the trash; a re-index drops its row.
      if (!(await objects.exists(asset.id, key)))
        throw new NotFound(`"${asset.name}" is no longer in the lake.`);
      await objects.move(asset.id, key, intent.toKey);
      await crashPoint('trash.afterLakeMove');
    } catch (error) {
      await intents.abandon(intent);
      throw error;
    }
    await this.finishTrash(intent);
  }

  /** The catalog half of a delete: the row marked trashed and the intent removed together. */
  private async finishTrash(intent: LakeIntent): Promise<void> {
    const { catalog, clock, events, audit } = this.deps;
    const { folderPath, name } = intent.detail as { folderPath: string; name: string };
    await catalog.transaction(async (trx) => {
      await trx.assets.update(intent.assetId!, {
        trashedAt: clock.now(),
        trashedFrom: folderPath,
        trashKey: intent.toKey,
      });
      await this.deps.objects.trashed(trx, intent.assetId!);
      await trx.intents.remove(intent.id);
    });
    await audit.record(
      intentActor(intent),
      'asset.delete',
      { type: 'asset', id: intent.assetId! },
      { name, folder: folderPath },
    );
    events.publish({ type: 'asset.deleted', assetId: intent.assetId!, folderPath });
  }

  /** A delete cut short: finished when the original reached the trash, forgotten when it did not. */
  private async settleTrash(intent: LakeIntent): Promise<void> {
    const { catalog, objects } = this.deps;
    const asset = await catalog.assets.get(intent.assetId!);
    const live = asset !== null && asset.trashedAt === null;
    if (live && (await objects.finished(asset.id, intent.fromKey, intent.toKey)))
      return this.finishTrash(intent);
    await catalog.intents.remove(intent.id);
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
    const { catalog, access } = this.deps;
    const { assets } = await loadVisibleAssets(catalog, access, actor, ids, { require: true, trashed: true });
    for (const asset of assets) await this.restoreOne(actor, asset);
    return { restored: assets.length };
  }

  /**
   * Moves the original back, then marks the row live. The intent is written before the folder is
   * looked up, so a folder move of the same path either waits for this or refuses it (409),
   * never a file revived in a folder whose row has just moved elsewhere.
   */
  private async restoreOne(actor: Actor, asset: Asset): Promise<void> {
    const { catalog, lake, clock, intents } = this.deps;
    const folderPath = asset.trashedFrom ?? '/';
    await this.requireWritable(actor, folderPath);
    const intent = await intents.begin('restore', {
      assetId: asset.id,
      fromKey: asset.trashKey!,
      toKey: assetKey(folderPath, asset.name),
      detail: {
        ...actorDetail(actor),
        folderPath,
        name: asset.name,
        ...(await this.deps.objects.intentDetail(asset.id)),
      },
    });
    try {
      await intents.refuseConflicting(intent);
      const { folder, created } = await ensureFolderChain(catalog, folderPath, actor, clock.now());
      // The lake holds every folder the catalog does (an S3 lake: a marker), so an emptied one stays.
      if (created.length > 0) await lake.createFolder(folderKey(folderPath));
      if (await catalog.assets.findLive(folder.id, asset.name)) {
        throw new Conflict(`"${asset.name}" already exists in ${folderPath}; rename that one first.`);
      }
      await requireFreeName({ catalog, access: this.deps.access }, actor, folder, asset.name, {
        assetId: asset.id,
      });
      await this.deps.objects.requireRoomIn(asset.id, folder.id);
      await this.deps.objects.move(asset.id, intent.fromKey, intent.toKey);
      await crashPoint('restore.afterLakeMove');
    } catch (error) {
      await intents.abandon(intent);
      throw error;
    }
    await this.finishRestore(intent);
  }

  private async finishRestore(intent: LakeIntent): Promise<void> {
    const { catalog, lake, clock, events, audit } = this.deps;
    const { folderPath, name } = intent.detail as { folderPath: string; name: string };
    const actor = intentActor(intent);
    // restoreOne made the folder as the person; one gone since is made again as the server
    // does (its parent's groups), since the intent does not keep the person's groups.
    const { folder } = await ensureFolderChain(catalog, folderPath, SYSTEM_ACTOR, clock.now());
    const object = await lake.head(intent.toKey);
    await catalog.transaction(async (trx) => {
      await trx.assets.update(intent.assetId!, {
        folderId: folder.id,
        trashedAt: null,
        trashedFrom: null,
        trashKey: null,
        ...(object ? { etag: object.etag, lakeMtime: object.mtime } : {}),
      });
      await this.deps.objects.placed(trx, intent.assetId!, folder.id);
      await trx.intents.remove(intent.id);
    });
    await audit.record(
      actor,
      'asset.restore',
      { type: 'asset', id: intent.assetId! },
      { name, folder: folderPath },
    );
    events.publish({ type: 'asset.restored', assetId: intent.assetId!, folderPath });
  }

  /** A restore cut short: finished when the original left the trash for its folder, else forgotten. */
  private async settleRestore(intent: LakeIntent): Promise<void> {
    const { catalog, objects } = this.deps;
    const asset = await catalog.assets.get(intent.assetId!);
    const trashed = asset !== null && asset.trashedAt !== null && asset.trashKey === intent.fromKey;
    // The move never replaces a file, so an original gone from the trash and present at its key is ours.
    if (trashed && (await objects.finished(asset.id, intent.fromKey, intent.toKey)))
      return this.finishRestore(intent);
    await catalog.intents.remove(intent.id);
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
  async empty(
    actor: Actor,
    options: { olderThan?: number; ids?: string[] } = {},
  ): Promise<{ purged: number }> {
    const { catalog, audit, processing, access } = this.deps;
    // `ids`: exactly these (the storage page's clean-up), never another.
    const chosen = options.ids ? new Set(options.ids) : null;
    const older = (a: Asset) =>
      (options.olderThan === undefined || (a.trashedAt ?? 0) < options.olderThan) &&
      (!chosen || chosen.has(a.id));
    const visible = (await catalog.assets.trashed(access.scope(actor))).filter(older);
    for (const asset of visible) {
      if (asset.trashKey) await this.deps.objects.deleteAt(asset.id, asset.trashKey);
      await catalog.assets.delete([asset.id]);
    }
    await processing.assetsRemoved(visible.map((a) => a.id));
    await audit.record(actor, 'trash.empty', {}, { purged: visible.length });
    return { purged: visible.length };
  }
}
