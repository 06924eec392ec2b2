import { assetKey, folderKey, parentPath, splitKey } from '../../lib/paths.js';
import type { Asset, Catalog, Folder } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { ClusterLock } from '../../ports/cluster-lock.js';
import type { EventBus } from '../../ports/events.js';
import type { ObjectStore, StoredObject } from '../../ports/object-store.js';
import { type Actor, SYSTEM_ACTOR } from '../access/actor.js';
import { type Checksums, contentChanged, newAsset, processable } from '../assets/asset-factory.js';
import { ensureFolderChain, ensureRoot } from '../folders/folder-tree.js';
import { parseFrameName } from '../sequences/frame-names.js';
import { frameOf, type SequenceIndex } from '../sequences/sequence-index.js';
import { adoptEtag, sameContent } from './content-change.js';
import { headMany } from './head-many.js';
import type { LakeIntents } from './lake-intents.js';
import type { ProcessingTrigger } from './processing-trigger.js';

export interface ReconcileReport {
  scanned: number;
  added: number;
  changed: number;
  moved: number;
  removed: number;
  foldersAdded: number;
  foldersRemoved: number;
  durationMs: number;
}

interface Deps {
  catalog: Catalog;
  lake: ObjectStore;
  clock: Clock;
  events: EventBus;
  processing: ProcessingTrigger;
  intents: LakeIntents;
  /** One re-index at a time across every process on the catalog. */
  lock: ClusterLock;
  /** Frames of image sequences become one asset per sequence (features/sequences). */
  sequences?: SequenceIndex;
  log?: (message: string, error?: unknown) => void;
}

/**
 * Rows written per transaction while reconciling. Each SQLite commit writes every index page
 * the batch touched (and checkpoints now and then); 5,000 rows share most of those pages.
 */
const BATCH = 5_000;
/** New objects a reconcile checks again before indexing them (see stillThere). */
const RECHECK_LIMIT = 10_000;

/**
 * Keeps the catalog equal to the lake, whoever changed the lake: uploads and imports index
 * one object; the fs watcher reports single keys; reconcile compares everything.
 */
export class IndexingService {
  private reconciling: Promise<ReconcileReport> | null = null;

  constructor(private readonly deps: Deps) {}

  /** Creates or refreshes the asset for one lake object. */
  async indexObject(
    object: StoredObject,
    options: { actor?: Actor; checksums?: Checksums } = {},
  ): Promise<Asset> {
    const { catalog, clock, events } = this.deps;
    const actor = options.actor ?? SYSTEM_ACTOR;
    const { folderPath, name } = splitKey(object.key);
    const now = clock.now();
    const { folder, created } = await ensureFolderChain(catalog, folderPath, actor, now);
    for (const f of created) events.publish({ type: 'folder.created', folderPath: f.path });
    const frame = this.deps.sequences ? frameOf(object, name) : null;
    if (frame)
      return this.deps.sequences!.indexFrame(
        folder,
        name,
        frame,
        object,
        actor.id === SYSTEM_ACTOR.id ? null : actor.username,
      );
    const existing = await catalog.assets.findLive(folder.id, name);
    if (existing) {
      if (existing.size === object.size && existing.etag === object.etag && !options.checksums)
        return existing;
      // Another ETag for the same bytes (a copy, a touch) is no change to process again.
      if (!options.checksums && (await sameContent(this.deps.lake, existing, object)))
        return adoptEtag(catalog, existing, object);
      const patch = contentChanged(object, now, options.checksums);
      await catalog.assets.update(existing.id, patch);
      const asset = { ...existing, ...patch };
      events.publish({ type: 'asset.changed', assetId: asset.id, folderPath });
      if (processable(object)) await this.deps.processing.assetsIngested([asset]);
      return asset;
    }
    const asset = newAsset(object, folder.id, name, now, {
      // By name, as a person reads it and as search filters and counts it.
      uploadedBy: actor.id === SYSTEM_ACTOR.id ? null : actor.username,
      checksums: options.checksums,
    });
    await catalog.assets.insert(asset);
    events.publish({ type: 'asset.created', assetId: asset.id, folderPath });
    if (processable(object)) await this.deps.processing.assetsIngested([asset]);
    return asset;
  }

  /** Called when a key may have vanished: drops its asset if the lake no longer has it. */
  async forgetKey(key: string): Promise<void> {
    const { catalog, lake, events } = this.deps;
    if (await lake.head(key)) return;
    const { folderPath, name } = splitKey(key);
    const folder = await catalog.folders.getByPath(folderPath);
    if (!folder) return;
    const frame = this.deps.sequences ? parseFrameName(name) : null;
    if (frame && (await this.deps.sequences!.forgetFrame(folder, name, frame))) return;
    const asset = await catalog.assets.findLive(folder.id, name);
    if (!asset) return;
    await catalog.assets.delete([asset.id]);
    events.publish({ type: 'asset.deleted', assetId: asset.id, folderPath });
    await this.deps.processing.assetsRemoved([asset.id]);
  }

  /** A folder appeared or vanished in the lake. */
  async folderChanged(path: string): Promise<void> {
    const { catalog, lake, clock, events } = this.deps;
    const exists = await lake.folderExists(folderKey(path));
    if (exists) {
      const { created } = await ensureFolderChain(catalog, path, SYSTEM_ACTOR, clock.now());
      for (const f of created) events.publish({ type: 'folder.created', folderPath: f.path });
      return;
    }
    const subtree = await catalog.folders.subtree(path);
    if (subtree.length === 0) return;
    if ((await catalog.assets.countLiveInFolders(subtree.map((f) => f.id))) > 0) return;
    await catalog.folders.delete(subtree.map((f) => f.id));
    events.publish({ type: 'folder.deleted', folderPath: path });
  }

  /** Runs one reconcile at a time; a second caller shares the running one. */
  reconcile(): Promise<ReconcileReport> {
    if (!this.reconciling) {
      this.reconciling = this.deps.lock
        .run('reconcile', async () => {
          // Steps cut short by a crash are settled first, so their files are not found as new.
          await this.deps.intents.recover(this.deps.log);
          return this.runReconcile();
        })
        .finally(() => {
          this.reconciling = null;
        });
    }
    return this.reconciling;
  }

  /** A reconcile that starts after any running one: the lake was swapped, so that one saw the old lake. */
  async reconcileAfresh(): Promise<ReconcileReport> {
    await this.reconciling?.catch(() => {});
    return this.reconcile();
  }

  private async runReconcile(): Promise<ReconcileReport> {
    const { catalog, lake, clock, events } = this.deps;
    const started = clock.now();
    const report: ReconcileReport = {
      scanned: 0,
      added: 0,
      changed: 0,
      moved: 0,
      removed: 0,
      foldersAdded: 0,
      foldersRemoved: 0,
      durationMs: 0,
    };
    await ensureRoot(catalog, started);
    // Keys of steps under way (a rename, a folder move) belong to those steps, not to this pass.
    const busyAtStart = await this.deps.intents.cover();

    const folders = new Map<string, Folder>((await catalog.folders.all()).map((f) => [f.path, f]));
    const pathOfFolder = new Map<string, string>([...folders.values()].map((f) => [f.id, f.path]));
    // Every live asset by lake key; what is left after the listing has vanished from the lake.
    const byKey = new Map<string, Asset>();
    for (
      let page = await catalog.assets.scanLive(null, 5000);
      page.length > 0;
      page = await catalog.assets.scanLive(page[page.length - 1].id, 5000)
    ) {
      for (const asset of page) {
        const path = pathOfFolder.get(asset.folderId);
        if (path !== undefined) byKey.set(assetKey(path, asset.name), asset);
      }
    }

    // Sequences are judged by their frames (features/sequences), never by their shown name.
    const sequenceIds = this.deps.sequences
      ? new Set((await catalog.sequences.all()).map((q) => q.assetId))
      : new Set<string>();
    for (const [key, asset] of byKey) if (sequenceIds.has(asset.id)) byKey.delete(key);
    const frames: StoredObject[] = [];
    const frameAssets = new Map<string, Asset>();

    const fresh: StoredObject[] = [];
    const suspects: Array<{ asset: Asset; object: StoredObject }> = [];
    const lakeFolders = new Set<string>(['/']);
    for await (const object of lake.listAll('')) {
      report.scanned++;
      addAncestors(lakeFolders, splitKey(object.key).folderPath);
      if (this.deps.sequences && frameOf(object, splitKey(object.key).name)) {
        frames.push(object);
        const still = byKey.get(object.key);
        if (still) frameAssets.set(object.key, still);
        byKey.delete(object.key);
        continue;
      }
      const asset = byKey.get(object.key);
      if (!asset) fresh.push(object);
      else {
        byKey.delete(object.key);
        if (asset.size !== object.size || asset.etag !== object.etag) suspects.push({ asset, object });
      }
    }
    for await (const key of lake.listFolders('')) addAncestors(lakeFolders, `/${key}`);
    // Changed only when size or content really changed: ETags are not always comparable.
    const changed: Array<{ asset: Asset; object: StoredObject }> = [];
    for (const suspect of suspects) {
      if (await sameContent(lake, suspect.asset, suspect.object))
        await adoptEtag(catalog, suspect.asset, suspect.object);
      else changed.push(suspect);
    }

    const busyAtEnd = await this.deps.intents.cover();
    const busy = (key: string) => busyAtStart(key) || busyAtEnd(key);
    for (let i = changed.length - 1; i >= 0; i--) if (busy(changed[i].object.key)) changed.splice(i, 1);

    // Folders first, so new assets have somewhere to live.
    for (const path of [...lakeFolders].sort()) {
      if (folders.has(path) || busy(folderKey(path))) continue;
      const { folder, created } = await ensureFolderChain(catalog, path, SYSTEM_ACTOR, clock.now());
      // Another process may have made it a moment ago: it is not in `created`, but it is here.
      folders.set(path, folder);
      for (const f of created) {
        folders.set(f.path, f);
        report.foldersAdded++;
        events.publish({ type: 'folder.created', folderPath: f.path });
      }
    }

    // An asset whose object vanished while an object of the same name and size appeared
    // elsewhere was moved by someone: keep its id (and derivatives).
    // Rows changed since the snapshot (a move job, an upload) are not this pass's to judge.
    // A folder moved meanwhile changes no asset row, only its folder's path: such assets are
    // not this pass's to judge either (the listing may have missed both the old and new place).
    // Compared with the paths read with the snapshot: `folders` may by now also hold a folder
    // under the path a move gave it meanwhile (found again by the folder listing), which would
    // pass a moved folder's assets as unchanged, and drop them.
    const vanished = await this.unchangedSince(
      started,
      [...byKey.entries()].filter(([key]) => !busy(key)).map(([, asset]) => asset),
      pathOfFolder,
    );
    const freshByNameSize = new Map<string, StoredObject[]>();
    // A link is never taken for a moved asset: the asset would keep its state but lose its file.
    for (const object of fresh.filter(processable)) {
      if (busy(object.key) || !folders.has(splitKey(object.key).folderPath)) continue;
      const k = `${splitKey(object.key).name}\u0000${object.size}`;
      freshByNameSize.set(k, [...(freshByNameSize.get(k) ?? []), object]);
    }
    const moved: Array<{ asset: Asset; object: StoredObject }> = [];
    const removed: Asset[] = [];
    for (const asset of vanished) {
      const candidates = freshByNameSize.get(`${asset.name}\u0000${asset.size}`);
      const object = candidates?.shift();
      if (object) moved.push({ asset, object });
      else removed.push(asset);
    }
    const movedKeys = new Set(moved.map((m) => m.object.key));
    const added = await this.stillThere(
      fresh.filter((o) => !movedKeys.has(o.key) && !busy(o.key) && folders.has(splitKey(o.key).folderPath)),
    );

    const now = clock.now();
    const inserted: Asset[] = [];
    for (let i = 0; i < added.length; i += BATCH) {
      const rows = added.slice(i, i + BATCH).map((object) => {
        const { folderPath, name } = splitKey(object.key);
        return newAsset(object, folders.get(folderPath)!.id, name, now);
      });
      const ids = new Set(await catalog.transaction((trx) => trx.assets.insertMany(rows)));
      inserted.push(...rows.filter((row) => ids.has(row.id)));
    }
    await catalog.transaction(async (trx) => {
      for (const { asset, object } of moved) {
        const { folderPath } = splitKey(object.key);
        await trx.assets.update(asset.id, {
          folderId: folders.get(folderPath)!.id,
          lakeMtime: object.mtime,
          etag: object.etag,
          updatedAt: now,
        });
      }
      for (const { asset, object } of changed) await trx.assets.update(asset.id, contentChanged(object, now));
      await trx.assets.delete(removed.map((a) => a.id));
    });

    if (this.deps.sequences) {
      const pass = await this.deps.sequences.reconcile(frames, folders, frameAssets, started, busy);
      report.added += pass.added;
      report.changed += pass.changed;
      report.removed += pass.removed;
    }

    // Folders that are gone from the lake and hold nothing.
    const goneFolders = [...folders.values()].filter(
      (f) =>
        f.path !== '/' &&
        !lakeFolders.has(f.path) &&
        !busy(folderKey(f.path)) &&
        f.createdAt < started &&
        f.updatedAt < started,
    );
    for (const folder of goneFolders.sort((a, b) => b.path.length - a.path.length)) {
      if ((await catalog.assets.countLive(folder.id)) > 0) continue;
      if ((await catalog.folders.children(folder.id)).length > 0) continue;
      await catalog.folders.delete([folder.id]);
      report.foldersRemoved++;
      events.publish({ type: 'folder.deleted', folderPath: folder.path });
    }

    report.added += inserted.length;
    report.moved = moved.length;
    report.changed += changed.length;
    report.removed += removed.length;
    const pathById = new Map([...folders.values()].map((f) => [f.id, f.path]));
    for (const asset of inserted)
      events.publish({
        type: 'asset.created',
        assetId: asset.id,
        folderPath: pathById.get(asset.folderId) ?? '/',
      });
    for (const { asset, object } of moved) {
      events.publish({
        type: 'asset.moved',
        assetId: asset.id,
        folderPath: splitKey(object.key).folderPath,
        fromFolderPath: pathOfFolder.get(asset.folderId) ?? '/',
      });
    }
    for (const asset of removed)
      events.publish({
        type: 'asset.deleted',
        assetId: asset.id,
        folderPath: pathOfFolder.get(asset.folderId) ?? '/',
      });
    await this.deps.processing.assetsIngested([
      ...inserted.filter((asset) => asset.state !== 'failed'),
      ...changed
        .filter(({ object }) => processable(object))
        .map(({ asset, object }) => ({ ...asset, ...contentChanged(object, now) })),
    ]);
    await this.deps.processing.assetsRemoved(removed.map((a) => a.id));
    report.durationMs = clock.now() - started;
    return report;
  }

  /**
   * Objects seen by the listing that are still in the lake now: one moved or trashed by Dailies
   * while the listing ran must not come back as a new asset. Checked when there are few (a
   * periodic pass on a busy lake); a first index of a large lake has nobody to race with.
   */
  private async stillThere(objects: StoredObject[]): Promise<StoredObject[]> {
    if (objects.length > RECHECK_LIMIT) return objects;
    const heads = await headMany(
      this.deps.lake,
      objects.map((o) => o.key),
    );
    return objects.filter((_, i) => heads[i] !== null);
  }

  /** The assets whose rows, read again now, are unchanged since `since` and still live. */
  private async unchangedSince(
    since: number,
    snapshot: Asset[],
    folderPaths: ReadonlyMap<string, string>,
  ): Promise<Asset[]> {
    const { catalog } = this.deps;
    const out: Asset[] = [];
    for (let i = 0; i < snapshot.length; i += 1000) {
      const chunk = snapshot.slice(i, i + 1000);
      const current = new Map((await catalog.assets.getMany(chunk.map((a) => a.id))).map((a) => [a.id, a]));
      const folderIds = [...new Set(chunk.map((a) => a.folderId))];
      const pathNow = new Map((await catalog.folders.getManyByIds(folderIds)).map((f) => [f.id, f.path]));
      const unchanged: Array<{ asset: Asset; key: string }> = [];
      for (const asset of chunk) {
        const now = current.get(asset.id);
        if (
          now &&
          pathNow.get(now.folderId) === folderPaths.get(asset.folderId) &&
          now.trashedAt === null &&
          now.folderId === asset.folderId &&
          now.name === asset.name &&
          now.createdAt < since &&
          now.updatedAt < since
        )
          unchanged.push({ asset: now, key: assetKey(pathNow.get(now.folderId)!, now.name) });
      }
      // The listing can miss a file a step moved while it ran; one still at its key stays.
      const heads = await headMany(
        this.deps.lake,
        unchanged.map((u) => u.key),
      );
      out.push(...unchanged.filter((_, j) => heads[j] === null).map((u) => u.asset));
    }
    return out;
  }

  /** Follows the fs lake's changes; a vanished key is checked after a pause so our own moves settle first. */
  watch(): () => Promise<void> {
    const { lake } = this.deps;
    if (!lake.watch) return async () => {};
    const timers = new Set<NodeJS.Timeout>();
    const later = (work: () => Promise<unknown>) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        work().catch(() => {});
      }, 2000);
      timers.add(timer);
    };
    // A change that a step under way made (a rename, a restore, a folder move) is that step's to
    // record: judged here it would become a new asset or a folder with its parent's groups.
    const unlessBusy = async (key: string, work: () => Promise<unknown>) => {
      if (!(await this.deps.intents.cover())(key)) await work();
    };
    const stop = lake.watch(({ key, type }) => {
      if (type === 'upsert') {
        void unlessBusy(key, () => lake.head(key).then((object) => object && this.indexObject(object))).catch(
          () => {},
        );
      } else if (type === 'delete') later(() => unlessBusy(key, () => this.forgetKey(key)));
      else later(() => unlessBusy(key, () => this.folderChanged(`/${key}`)));
    });
    return async () => {
      for (const timer of timers) clearTimeout(timer);
      await stop();
    };
  }
}

function addAncestors(set: Set<string>, path: string): void {
  for (let p: string | null = path; p && !set.has(p); p = parentPath(p)) set.add(p);
}
