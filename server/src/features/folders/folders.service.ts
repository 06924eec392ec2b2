import { randomUUID } from 'node:crypto';
import { crashPoint } from '../../lib/crash-points.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../lib/errors.js';
import {
  assetKey,
  baseName,
  folderKey,
  folderSegments,
  isWithin,
  joinFolder,
  newFolderPath,
  normalizeFolderPath,
  parentPath,
} from '../../lib/paths.js';
import type { Catalog, Folder, GroupScope, LakeIntent } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import type { JobContext, JobQueue, JobRecord } from '../../ports/job-queue.js';
import type { ObjectStore } from '../../ports/object-store.js';
import { type AccessPolicy, isAdmin } from '../access/access.policy.js';
import { type Actor, ADMIN_GROUP, SYSTEM_ACTOR } from '../access/actor.js';
import { requestedBy } from '../access/job-actor.js';
import type { AuditService } from '../audit/audit.service.js';
import type { LakeIntents } from '../indexing/lake-intents.js';
import type { TrashService } from '../trash/trash.service.js';
import { ensureFolderChain, groupsForNewFolder } from './folder-tree.js';
import { type FolderView, folderViews, twinFolderWarnings } from './folder-view.js';
import { requireFreeName } from './sibling-names.js';

export type { FolderView };

export interface FolderListing {
  folder: FolderView;
  children: FolderView[];
}

interface Deps {
  catalog: Catalog;
  lake: ObjectStore;
  access: AccessPolicy;
  audit: AuditService;
  events: EventBus;
  clock: Clock;
  jobs: JobQueue;
  trash: TrashService;
  intents: LakeIntents;
  /** Group names that exist; the groups feature fills it in. */
  groupExists?: (names: string[]) => Promise<string[]>;
}

export class FoldersService {
  constructor(private readonly deps: Deps) {
    deps.intents.settleWith('folder.move', (intent) => this.settleMove(intent));
    deps.intents.settleWith('folder.create', (intent) => this.settleCreate(intent));
  }

  async get(actor: Actor, rawPath: string): Promise<FolderListing> {
    const { catalog, access } = this.deps;
    const path = normalizeFolderPath(rawPath);
    const folder = await access.requireFolder(actor, path);
    const children = await catalog.folders.children(folder.id);
    const visible = await access.visibleFolderPaths(
      actor,
      children.map((c) => c.path),
    );
    const shown = children.filter((c) => visible.has(c.path));
    // Twins are judged among what the actor sees: a hidden sibling is never named.
    const warnings = await twinFolderWarnings(catalog, folder.id, shown);
    const [view, ...views] = await folderViews(catalog, [folder, ...shown], warnings);
    return { folder: view, children: views };
  }

  async create(actor: Actor, rawPath: string): Promise<FolderView> {
    const { catalog, clock, events, access, audit } = this.deps;
    // The parent is found exactly (another tool may have written it decomposed); the new name is NFC.
    const exact = normalizeFolderPath(rawPath);
    if (exact === '/') throw new Conflict('The root folder always exists.');
    const path = joinFolder(parentPath(exact)!, newFolderPath(`/${baseName(exact)}`).slice(1));
    const parent = await access.requireFolder(actor, parentPath(path)!);
    // Answers alike whether the name is taken by a folder the actor cannot see or differs
    // from one only in case: nothing here tells a hidden name.
    await requireFreeName(this.deps, actor, parent, baseName(path));
    const now = clock.now();
    const parentGroups = (await catalog.folders.groupsOf([parent.id])).get(parent.id) ?? [];
    const folder: Folder = {
      id: randomUUID(),
      path,
      parentId: parent.id,
      name: baseName(path),
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    };
    const groups = groupsForNewFolder(actor, parent, parentGroups);
    // Refused while a folder move covers the path: the move would carry the row to its new
    // path in the catalog while the directory stays at the old one in the lake.
    const intent = await this.deps.intents.beginClearOfMoves(
      'folder.create',
      { fromKey: folderKey(path), toKey: folderKey(path), detail: { path } },
      { wait: false },
    );
    try {
      await this.insertAndMake(folder, groups, parent);
    } finally {
      await catalog.intents.remove(intent.id);
    }
    await audit.record(actor, 'folder.create', { type: 'folder', id: folder.id }, { path });
    events.publish({ type: 'folder.created', folderPath: path });
    return (await folderViews(catalog, [folder]))[0];
  }

  private async insertAndMake(folder: Folder, groups: string[], parent: Folder): Promise<void> {
    const { catalog, lake } = this.deps;
    const { path } = folder;
    // The row first: a watcher or reconcile that then sees the new directory finds it indexed.
    await catalog.folders.insert(folder, groups);
    try {
      // Two requests for `Day` and `day` at once both passed the check above: whoever finds the
      // other's row now withdraws (at worst both do), so twins never both stay.
      await requireFreeName(this.deps, SYSTEM_ACTOR, parent, folder.name, { folderId: folder.id });
    } catch (error) {
      await catalog.folders.delete([folder.id]);
      if (error instanceof Conflict)
        throw new Conflict(
          `"${folder.name}" was being made in ${parent.path} at the same time as a name like it; try again.`,
        );
      throw error;
    }
    try {
      await lake.createFolder(folderKey(path));
    } catch (error) {
      await catalog.folders.delete([folder.id]);
      throw error;
    }
  }

  /** A folder creation cut short: the catalog's row, when it was written, gets its directory. */
  private async settleCreate(intent: LakeIntent): Promise<void> {
    const { catalog, lake } = this.deps;
    const { path } = intent.detail as { path: string };
    if ((await catalog.folders.getByPath(path)) && !(await lake.folderExists(intent.toKey)))
      await lake.createFolder(intent.toKey);
    await catalog.intents.remove(intent.id);
  }

  /** Makes sure a folder path exists (uploads and imports of whole folders), creating what is missing. */
  async ensure(actor: Actor, rawPath: string, looks = 0): Promise<Folder> {
    const { catalog, lake, clock, events, access } = this.deps;
    const exact = normalizeFolderPath(rawPath);
    // A client may send a decomposed name (macOS does) for a folder Dailies stored composed.
    let given = exact;
    if (exact !== exact.normalize('NFC') && !(await catalog.folders.getByPath(exact))) {
      if (await catalog.folders.getByPath(exact.normalize('NFC'))) given = exact.normalize('NFC');
    }
    // Write access is checked on the deepest folder that already exists (found exactly, in
    // whatever Unicode form it has); the names below it are new, so NFC and free of twins.
    let existing: string = given;
    while (existing !== '/' && !(await catalog.folders.getByPath(existing))) existing = parentPath(existing)!;
    const deepest = await access.requireFolder(actor, existing);
    const missing = folderSegments(given).slice(folderSegments(existing).length);
    let path = existing;
    for (const segment of missing) path = joinFolder(path, newFolderPath(`/${segment}`).slice(1));
    if (missing.length === 0) return (await ensureFolderChain(catalog, path, actor, clock.now())).folder;
    try {
      await requireFreeName(this.deps, actor, deepest, newFolderPath(`/${missing[0]}`).slice(1));
    } catch (error) {
      // Ten uploads into one new folder arrive together: the first makes it, and the others
      // found its name taken by that very folder: they look again and use it. A look finds the
      // chain a level deeper each time; bounded all the same (a name in another Unicode form).
      const first = joinFolder(existing, newFolderPath(`/${missing[0]}`).slice(1));
      const levels = folderSegments(given).length;
      if (error instanceof Conflict && looks < levels && (await catalog.folders.getByPath(first)))
        return this.ensure(actor, rawPath, looks + 1);
      throw error;
    }
    // As for a new folder: not under a folder that is moving.
    const intent = await this.deps.intents.beginClearOfMoves(
      'folder.create',
      { fromKey: folderKey(path), toKey: folderKey(path), detail: { path } },
      { wait: false },
    );
    try {
      await lake.createFolder(folderKey(path));
      const { folder, created } = await ensureFolderChain(catalog, path, actor, clock.now());
      for (const f of created) events.publish({ type: 'folder.created', folderPath: f.path });
      return folder;
    } finally {
      await catalog.intents.remove(intent.id);
    }
  }

  /** Rename or move: checks up front, then one job that moves the lake and then the catalog. */
  async requestMove(actor: Actor, rawFrom: string, rawTo: string): Promise<{ jobId: string }> {
    const { access, jobs, audit } = this.deps;
    const from = normalizeFolderPath(rawFrom);
    // The new parent is found exactly; the new name is NFC.
    const rawTarget = normalizeFolderPath(rawTo);
    const to = joinFolder(parentPath(rawTarget) ?? '/', newFolderPath(`/${baseName(rawTarget)}`).slice(1));
    if (from === '/' || rawTarget === '/') throw new Invalid('The root folder cannot be moved or replaced.');
    if (isWithin(to, from)) throw new Invalid(`A folder cannot be moved into itself ("${from}" → "${to}").`);
    if (to === from) throw new Invalid(`The folder "${from}" is already there.`);
    const source = await access.requireFolder(actor, from);
    const newParent = await access.requireFolder(actor, parentPath(to)!);
    await requireFreeName(this.deps, actor, newParent, baseName(to), { folderId: source.id });
    await this.requireWholeSubtreeVisible(actor, from, 'move');
    const jobId = await jobs.enqueue(
      'folder.move',
      { ...requestedBy(actor), fromPath: from, toPath: to },
      { key: `folder.move:${from}` },
    );
    await audit.record(actor, 'folder.move', { type: 'job', id: jobId }, { from, to });
    return { jobId };
  }

  /**
   * The `folder.move` job: idempotent, so a retry after a crash finishes what was started. Its
   * intent keeps the watcher and reconcile from taking the moved folder for a new one (which
   * would give it its parent's groups), and keeps asset steps out of both paths meanwhile.
   */
  async runMove(job: JobRecord<'folder.move'>, context: JobContext): Promise<void> {
    const { catalog, lake, intents } = this.deps;
    const { fromPath, toPath } = job.data;
    const parent = await catalog.folders.getByPath(parentPath(toPath)!);
    if (!parent) throw new NotFound(`The folder ${parentPath(toPath)} no longer exists.`);
    const source = await catalog.folders.getByPath(fromPath);
    if (!source) return;
    const intent = await intents.begin('folder.move', {
      fromKey: folderKey(fromPath),
      toKey: folderKey(toPath),
      detail: { fromPath, toPath },
    });
    try {
      await intents.waitForAssetSteps(intent);
      // An earlier move this one waited for may have taken the source or the new parent away;
      // moving by their old paths would make those paths again in the lake, where reconcile
      // would take the files for new ones.
      if (!(await catalog.folders.getByPath(parentPath(toPath)!)))
        throw new NotFound(`The folder ${parentPath(toPath)} no longer exists.`);
      if (!(await catalog.folders.getByPath(fromPath))) {
        await intents.abandon(intent);
        return;
      }
      if (await lake.folderExists(folderKey(fromPath))) {
        await lake.moveFolder(
          folderKey(fromPath),
          folderKey(toPath),
          (done) => void context.progress(done, 0),
        );
      }
      await crashPoint('folder.move.afterLakeMove');
    } catch (error) {
      await intents.abandon(intent);
      throw error;
    }
    await this.finishMove(intent);
  }

  private async finishMove(intent: LakeIntent): Promise<void> {
    const { catalog, clock, events } = this.deps;
    const { fromPath, toPath } = intent.detail as { fromPath: string; toPath: string };
    const parent = await catalog.folders.getByPath(parentPath(toPath)!);
    if (!parent) throw new NotFound(`The folder ${parentPath(toPath)} no longer exists.`);
    await catalog.transaction(async (trx) => {
      await trx.folders.movePaths(fromPath, toPath, parent.id, clock.now());
      await trx.intents.remove(intent.id);
    });
    events.publish({ type: 'folder.changed', folderPath: toPath });
    events.publish({ type: 'folder.deleted', folderPath: fromPath });
  }

  /**
   * A folder move cut short: finished when the lake holds the folder at its new path and not at
   * the old one; forgotten when it has not moved (the job, taken again, starts over). A move left
   * half done (an S3 lake moves object by object) stays for the job to finish.
   */
  private async settleMove(intent: LakeIntent): Promise<void> {
    const { catalog, lake } = this.deps;
    const { fromPath } = intent.detail as { fromPath: string };
    const atFrom = await lake.folderExists(intent.fromKey);
    const atTo = await lake.folderExists(intent.toKey);
    const inCatalog = (await catalog.folders.getByPath(fromPath)) !== null;
    if (atTo && atFrom && inCatalog) {
      // The source path is there again: made by another tool after the lake moved, or the lake
      // move is half done. Where the catalog's files are tells which; the catalog follows the
      // lake only when they all moved, and never when none did.
      const moved = await this.wholeLakeMoved(intent);
      if (moved === 'all') return this.finishMove(intent);
      if (moved === 'some') return;
      await catalog.intents.remove(intent.id);
      return;
    }
    if (atTo && inCatalog) return this.finishMove(intent);
    await catalog.intents.remove(intent.id);
  }

  /**
   * Where the live files the catalog holds under a moving folder's source are in the lake: all
   * at their new keys, some (a move object by object cut short), or none. An empty subtree says
   * nothing, so counts as none: the catalog is never rewritten on a guess.
   */
  private async wholeLakeMoved(intent: LakeIntent): Promise<'all' | 'some' | 'none'> {
    const { catalog, lake } = this.deps;
    const { fromPath, toPath } = intent.detail as { fromPath: string; toPath: string };
    const subtree = await catalog.folders.subtree(fromPath);
    const pathOf = new Map(subtree.map((f) => [f.id, f.path]));
    let moved = 0;
    let total = 0;
    for (const asset of await catalog.assets.liveInFolders(subtree.map((f) => f.id))) {
      const path = pathOf.get(asset.folderId)!;
      const newPath = toPath + path.slice(fromPath.length);
      total++;
      if ((await lake.head(assetKey(newPath, asset.name))) && !(await lake.head(assetKey(path, asset.name))))
        moved++;
    }
    if (total > 0 && moved === total) return 'all';
    return moved > 0 ? 'some' : 'none';
  }

  /** Deletes a folder: its assets go to the trash, the folders themselves are removed. */
  async delete(actor: Actor, rawPath: string): Promise<{ trashed: number }> {
    const { catalog, lake, access, audit, events, trash } = this.deps;
    const path = normalizeFolderPath(rawPath);
    if (path === '/') throw new Invalid('The root folder cannot be deleted.');
    await access.requireFolder(actor, path);
    const subtree = await this.requireWholeSubtreeVisible(actor, path, 'delete');
    const pathOf = new Map(subtree.map((f) => [f.id, f.path]));
    const assets = await catalog.assets.liveInFolders(subtree.map((f) => f.id));
    for (const asset of assets) await trash.trashOne(actor, asset, pathOf.get(asset.folderId)!);
    for (const folder of [...subtree].sort((a, b) => b.path.length - a.path.length)) {
      await lake.deleteFolder(folderKey(folder.path));
    }
    await catalog.folders.delete(subtree.map((f) => f.id));
    await audit.record(actor, 'folder.delete', { type: 'folder' }, { path, trashedAssets: assets.length });
    events.publish({ type: 'folder.deleted', folderPath: path });
    return { trashed: assets.length };
  }

  /**
   * Admins only; `admin` always stays. Applies to the folder and everything under it, unless
   * `scope` is `folder`: then the folders below keep their own groups (and still show only to
   * those who may see every folder above them).
   */
  async setGroups(
    actor: Actor,
    rawPath: string,
    groups: string[],
    scope: GroupScope = 'subtree',
  ): Promise<FolderView> {
    const { catalog, access, audit, events } = this.deps;
    const path = normalizeFolderPath(rawPath);
    if (!isAdmin(actor)) throw new Forbidden("Only admins change a folder's groups.");
    if (path === '/')
      throw new Invalid('The root folder is open to every signed-in user; its groups cannot change.');
    if (!groups.includes(ADMIN_GROUP))
      throw new Invalid('The "admin" group cannot be removed from a folder.');
    if (this.deps.groupExists) {
      const known = new Set(await this.deps.groupExists(groups));
      const unknown = groups.filter((g) => !known.has(g));
      if (unknown.length > 0)
        throw new Invalid(`Unknown group${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`);
    }
    const folder = await access.requireFolder(actor, path);
    const before = (await catalog.folders.groupsOf([folder.id])).get(folder.id) ?? [];
    await catalog.folders.setGroups(folder.id, [...new Set(groups)].sort(), scope);
    await audit.record(
      actor,
      'folder.permissions',
      { type: 'folder', id: folder.id },
      { path, before, after: groups, scope },
    );
    events.publish({ type: 'folder.changed', folderPath: path });
    return (await folderViews(catalog, [folder]))[0];
  }

  /**
   * The subtree at `path`, refused when it holds folders the actor cannot see: moving or
   * deleting them would act on what the actor was never shown (admins see everything).
   */
  private async requireWholeSubtreeVisible(actor: Actor, path: string, what: 'move' | 'delete') {
    const { catalog, access } = this.deps;
    const subtree = await catalog.folders.subtree(path);
    const visible = await access.visibleFolderIds(
      actor,
      subtree.map((f) => f.id),
    );
    if (visible.size !== subtree.length)
      throw new Forbidden(`This folder holds folders you cannot see; ask an admin to ${what} it.`);
    return subtree;
  }
}
