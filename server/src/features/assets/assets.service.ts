import { crashPoint } from '../../lib/crash-points.js';
import { Conflict, Invalid, Unprocessable } from '../../lib/errors.js';
import { assetKey, nameKey, normalizeFolderPath, validateName } from '../../lib/paths.js';
import { RowTurns } from '../../lib/row-turns.js';
import type {
  Asset,
  AssetSort,
  Catalog,
  DerivativeKind,
  Folder,
  LakeIntent,
  SortOrder,
} from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import type { JobContext, JobQueue, JobRecord } from '../../ports/job-queue.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { requestedBy } from '../access/job-actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { requireFreeName } from '../folders/sibling-names.js';
import { actorDetail, type LakeIntents, requireFolderPaths } from '../indexing/lake-intents.js';
import type { LogView } from '../logging/logging.service.js';
import type { AssetObjects } from '../sequences/sequence-objects.js';
import { type AssetView, toAssetView } from './asset.view.js';
import { loadVisibleAssets } from './asset-access.js';
import { decodeCursor, encodeCursor } from './cursor.js';

export interface AssetListQuery {
  folder: string;
  sort?: AssetSort;
  order?: SortOrder;
  limit?: number;
  cursor?: string;
  /** A page from this position on (a jump); `cursor` continues from where a page ended. */
  offset?: number;
}

export interface AssetPage {
  items: AssetView[];
  total: number;
  offset: number | null;
  nextCursor: string | null;
}

interface Deps {
  catalog: Catalog;
  lake: ObjectStore;
  access: AccessPolicy;
  audit: AuditService;
  events: EventBus;
  clock: Clock;
  jobs: JobQueue;
  intents: LakeIntents;
  /** The asset's file, or every frame of an image sequence. */
  objects: AssetObjects;
  /** Where else each asset is (edit volumes); the volumes feature fills it in. */
  locations?: (assetIds: string[]) => Promise<Map<string, string[]>>;
  /** Which derivatives each asset has; the processing feature fills it in. */
  derivatives?: (assetIds: string[]) => Promise<Map<string, DerivativeKind[]>>;
  /** Each asset's logging fields; the logging feature fills them in. */
  logs?: (assetIds: string[]) => Promise<Map<string, LogView>>;
  /** Whether upload bytes are arriving: big pages then leave them room (RowTurns' rest). */
  writesArriving?: () => boolean;
}

const SORT_VALUE: Record<AssetSort, (a: Asset) => string | number | null> = {
  name: (a) => a.sortName,
  id: (a) => a.id,
  format: (a) => a.format,
  state: (a) => a.state,
  created: (a) => a.createdAt,
  modified: (a) => a.updatedAt,
  size: (a) => a.size,
  duration: (a) => a.duration,
};

/**
 * Rows of folder pages made at once by this process; more wait their turn (lib/row-turns.ts).
 * Two pages of 1,000, as many as the SQLite catalog has reader threads.
 */
export const PAGE_ROWS_AT_ONCE = 1000;

export class AssetsService {
  private readonly pageTurns: RowTurns;

  constructor(private readonly deps: Deps) {
    this.pageTurns = new RowTurns(PAGE_ROWS_AT_ONCE, { restWhile: deps.writesArriving });
    deps.intents.settleWith('rename', (intent) => this.settleRename(intent));
    deps.intents.settleWith('move', (intent) => this.settleMove(intent));
  }

  async list(actor: Actor, query: AssetListQuery): Promise<AssetPage> {
    const { access } = this.deps;
    if (query.cursor !== undefined && query.offset !== undefined)
      throw new Invalid('Ask for a page either after a cursor or at an offset, not both.');
    const path = normalizeFolderPath(query.folder);
    const folder = await access.requireFolder(actor, path);
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    return this.pageTurns.run(limit, () => this.page(folder, query, limit));
  }

  private async page(folder: Folder, query: AssetListQuery, limit: number): Promise<AssetPage> {
    const { catalog } = this.deps;
    const sort = query.sort ?? 'name';
    const rows = await catalog.assets.page({
      folderId: folder.id,
      sort,
      order: query.order ?? 'asc',
      limit: limit + 1,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      offset: query.offset,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: await this.views(page, new Map([[folder.id, folder.path]])),
      total: await catalog.assets.countLive(folder.id),
      offset: query.offset ?? null,
      nextCursor:
        rows.length > limit && last ? encodeCursor({ value: SORT_VALUE[sort](last), id: last.id }) : null,
    };
  }

  async get(actor: Actor, id: string): Promise<AssetView> {
    const { assets, folderPaths } = await loadVisibleAssets(this.deps.catalog, this.deps.access, actor, [id]);
    return (await this.views(assets, folderPaths))[0];
  }

  async rename(actor: Actor, id: string, newName: string): Promise<AssetView> {
    const { catalog, lake, events, audit } = this.deps;
    const name = validateName(newName);
    const { assets, folderPaths } = await loadVisibleAssets(catalog, this.deps.access, actor, [id]);
    const asset = assets[0];
    if (asset.name === name) return (await this.views([asset], folderPaths))[0];
    const folderPath = folderPaths.get(asset.folderId)!;
    const frames = await this.deps.objects.frames(asset.id);
    if (frames && frames.length > 1)
      throw new Unprocessable(
        `"${asset.name}" is an image sequence: its name is its frames' names; rename the frames in the lake.`,
      );
    await requireFreeName(
      { catalog, access: this.deps.access },
      actor,
      { id: asset.folderId, path: folderPath },
      name,
      { assetId: asset.id },
    );
    // The lake changes first; the catalog follows once it has. The intent covers the window
    // between, so the renamed file keeps its id whatever happens there.
    const intent = await this.deps.intents.begin('rename', {
      assetId: asset.id,
      fromKey: assetKey(folderPath, asset.name),
      toKey: assetKey(folderPath, name),
      detail: { ...actorDetail(actor), folderPath, from: asset.name, to: name },
    });
    try {
      await this.deps.intents.refuseConflicting(intent);
      await requireFolderPaths(catalog, [[asset.folderId, folderPath]]);
      await lake.move(intent.fromKey, intent.toKey);
      await crashPoint('rename.afterLakeMove');
    } catch (error) {
      await this.deps.intents.abandon(intent);
      throw error;
    }
    const patch = await this.finishRename(intent);
    await audit.record(
      actor,
      'asset.rename',
      { type: 'asset', id },
      { from: asset.name, to: name, folder: folderPath },
    );
    events.publish({ type: 'asset.changed', assetId: id, folderPath });
    return (await this.views([{ ...asset, ...patch }], folderPaths))[0];
  }

  private async finishRename(intent: LakeIntent): Promise<Partial<Asset>> {
    const { catalog, lake, clock } = this.deps;
    const { to } = intent.detail as { to: string };
    const object = await lake.head(intent.toKey);
    const patch: Partial<Asset> = {
      name: to,
      sortName: nameKey(to),
      ...(object ? { etag: object.etag, lakeMtime: object.mtime } : {}),
      updatedAt: clock.now(),
    };
    await catalog.transaction(async (trx) => {
      await trx.assets.update(intent.assetId!, patch);
      // A lone frame renamed is a file of its own name: no longer one of a sequence's frames.
      if (await trx.sequences.get(intent.assetId!)) await trx.sequences.delete([intent.assetId!]);
      await trx.intents.remove(intent.id);
    });
    return patch;
  }

  /** A rename cut short: finished when the file has its new name, forgotten when it has the old one. */
  private async settleRename(intent: LakeIntent): Promise<void> {
    const { catalog, lake } = this.deps;
    const asset = await catalog.assets.get(intent.assetId!);
    const { from, folderPath } = intent.detail as { from: string; folderPath: string };
    if (
      asset?.trashedAt === null &&
      asset.name === from &&
      (await catalog.folders.getById(asset.folderId))?.path === folderPath &&
      (await lake.head(intent.toKey)) &&
      !(await lake.head(intent.fromKey))
    ) {
      await this.finishRename(intent);
      this.deps.events.publish({ type: 'asset.changed', assetId: asset.id, folderPath });
      return;
    }
    await catalog.intents.remove(intent.id);
  }

  /** Checks everything that can be checked up front, then moves in one job with progress. */
  async requestMove(actor: Actor, ids: string[], toFolder: string): Promise<{ jobId: string }> {
    const { catalog, access, jobs } = this.deps;
    if (ids.length === 0) throw new Invalid('Choose at least one asset to move.');
    const targetPath = normalizeFolderPath(toFolder);
    const target = await access.requireFolder(actor, targetPath);
    const { assets } = await loadVisibleAssets(catalog, access, actor, ids);
    const names = new Map<string, string>();
    for (const asset of assets) {
      if (asset.folderId === target.id) continue;
      const other = names.get(nameKey(asset.name));
      if (other !== undefined)
        throw new Conflict(
          other === asset.name
            ? `Two of the assets are named "${asset.name}"; one folder cannot hold both.`
            : `"${asset.name}" and "${other}" differ only in case or Unicode form; one folder cannot hold both.`,
        );
      names.set(nameKey(asset.name), asset.name);
      await requireFreeName({ catalog, access }, actor, target, asset.name, { assetId: asset.id });
    }
    const jobId = await jobs.enqueue('assets.move', {
      ...requestedBy(actor),
      assetIds: assets.map((a) => a.id),
      toFolderPath: targetPath,
    });
    await this.deps.audit.record(
      actor,
      'asset.move',
      { type: 'job', id: jobId },
      { assetIds: ids, to: targetPath },
    );
    return { jobId };
  }

  /**
   * The `assets.move` job. Idempotent: an asset already at its target (a retry after a crash
   * between the lake move and the catalog update) only has its row updated.
   */
  async runMove(job: JobRecord<'assets.move'>, context: JobContext): Promise<void> {
    const { catalog } = this.deps;
    const { assetIds, toFolderPath } = job.data;
    const target = await catalog.folders.getByPath(toFolderPath);
    if (!target) throw new Invalid(`The folder ${toFolderPath} no longer exists.`);
    const failures: string[] = [];
    for (let i = 0; i < assetIds.length; i++) {
      context.signal.throwIfAborted();
      const asset = await catalog.assets.get(assetIds[i]);
      if (asset && asset.trashedAt === null && asset.folderId !== target.id) {
        const from = await catalog.folders.getById(asset.folderId);
        // The target is followed by id: a folder move that ended since the job began changed its path.
        const to = await catalog.folders.getById(target.id);
        if (!to) throw new Invalid(`The folder ${toFolderPath} no longer exists.`);
        const intent = await this.deps.intents.begin('move', {
          assetId: asset.id,
          fromKey: assetKey(from!.path, asset.name),
          toKey: assetKey(to.path, asset.name),
          detail: {
            fromFolderPath: from!.path,
            toFolderPath: to.path,
            ...(await this.deps.objects.intentDetail(asset.id)),
          },
        });
        try {
          await this.deps.intents.refuseConflicting(intent);
          // Folder moves from here on wait for this step; one that ended between the reads above
          // and the intent would leave these keys stale, and a move by a stale key would make
          // the old folder again in the lake.
          await requireFolderPaths(catalog, [
            [asset.folderId, from!.path],
            [target.id, to.path],
          ]);
          await this.deps.objects.requireRoomIn(asset.id, target.id);
          if (
            (await this.deps.objects.exists(asset.id, intent.fromKey)) ||
            !(await this.deps.objects.exists(asset.id, intent.toKey))
          )
            await this.deps.objects.move(asset.id, intent.fromKey, intent.toKey);
          await crashPoint('move.afterLakeMove');
          await this.finishMove(intent, target.id);
        } catch (error) {
          await this.deps.intents.abandon(intent);
          failures.push(`${asset.name}: ${(error as Error).message}`);
        }
      }
      await context.progress(i + 1, assetIds.length);
    }
    if (failures.length > 0) {
      throw new Error(
        `${failures.length} of ${assetIds.length} assets could not be moved. ${failures.slice(0, 5).join('; ')}`,
      );
    }
  }

  private async finishMove(intent: LakeIntent, targetId: string): Promise<void> {
    const { catalog, lake, clock, events } = this.deps;
    const { fromFolderPath, toFolderPath } = intent.detail as {
      fromFolderPath: string;
      toFolderPath: string;
    };
    const object = await lake.head(intent.toKey);
    await catalog.transaction(async (trx) => {
      await trx.assets.update(intent.assetId!, {
        folderId: targetId,
        ...(object ? { etag: object.etag, lakeMtime: object.mtime } : {}),
        updatedAt: clock.now(),
      });
      await this.deps.objects.placed(trx, intent.assetId!, targetId);
      await trx.intents.remove(intent.id);
    });
    events.publish({
      type: 'asset.moved',
      assetId: intent.assetId!,
      folderPath: toFolderPath,
      fromFolderPath,
    });
  }

  /** A move cut short: finished when the file is in the target folder, forgotten when it is not. */
  private async settleMove(intent: LakeIntent): Promise<void> {
    const { catalog } = this.deps;
    const { fromFolderPath, toFolderPath } = intent.detail as {
      fromFolderPath: string;
      toFolderPath: string;
    };
    const asset = await catalog.assets.get(intent.assetId!);
    const target = await catalog.folders.getByPath(toFolderPath);
    if (
      asset?.trashedAt === null &&
      target &&
      (await catalog.folders.getById(asset.folderId))?.path === fromFolderPath &&
      (await this.deps.objects.finished(asset.id, intent.fromKey, intent.toKey))
    ) {
      return this.finishMove(intent, target.id);
    }
    await catalog.intents.remove(intent.id);
  }

  async views(assets: Asset[], folderPaths: Map<string, string>): Promise<AssetView[]> {
    const ids = assets.map((a) => a.id);
    const extra = this.deps.locations ? await this.deps.locations(ids) : new Map<string, string[]>();
    const made = this.deps.derivatives
      ? await this.deps.derivatives(ids)
      : new Map<string, DerivativeKind[]>();
    const logs = this.deps.logs ? await this.deps.logs(ids) : new Map<string, LogView>();
    const live = assets.filter((a) => a.trashedAt === null);
    // Twins come from another tool writing the lake: both are shown, with a warning, never merged.
    const twins = await this.deps.catalog.assets.twinKeys(
      live.map((a) => ({ folderId: a.folderId, sortName: a.sortName })),
    );
    return assets.map((a) => {
      const view = toAssetView(
        a,
        folderPaths.get(a.folderId) ?? a.trashedFrom ?? '/',
        ['lake', ...(extra.get(a.id) ?? [])],
        made.get(a.id) ?? [],
        logs.get(a.id),
      );
      if (a.trashedAt === null && twins.has(`${a.folderId}\u0000${a.sortName}`))
        view.warning = [
          `Another file in this folder differs from "${a.name}" only in case or Unicode form: an editor's volume (SMB, NTFS, APFS) cannot hold both. Rename one.`,
          view.warning,
        ]
          .filter(Boolean)
          .join(' ');
      return view;
    });
  }
}
