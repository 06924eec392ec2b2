/** Duplicates, clean-up candidates and their actions, trash retention. */

import { Invalid } from '../../lib/errors.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { JobContext, JobQueue, JobRecord } from '../../ports/job-queue.js';
import type { StorageRepository } from '../../ports/storage.js';
import type { AccessPolicy } from '../access/access.policy.js';
import { type Actor, SYSTEM_ACTOR } from '../access/actor.js';
import { type ActorLookup, jobActor, requestedBy } from '../access/job-actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { DAY_MS, dayOf, type StorageVolumes } from './storage.service.js';
import { readStorageSettings } from './storage-settings.js';

export interface CleanupTrash {
  /** Moves live assets to the trash (ids the actor may not see are left out). */
  trash(actor: Actor, ids: string[]): Promise<{ deleted: number }>;
  /** Deletes trashed originals for good: those older than `olderThan`, or only `ids`. */
  empty(actor: Actor, options: { olderThan?: number; ids?: string[] }): Promise<{ purged: number }>;
}

export interface CleanupVolumes extends StorageVolumes {
  requestRemove(
    actor: Actor,
    volumeId: string,
    ids: string[],
  ): Promise<{ jobs: Array<{ assetId: string; jobId: string }> }>;
}

interface Deps {
  storage: StorageRepository;
  catalog: Catalog;
  access: AccessPolicy;
  audit: AuditService;
  clock: Clock;
  jobs: JobQueue;
  trash: CleanupTrash;
  volumes: CleanupVolumes;
  actorOf: ActorLookup;
}

export type CleanupList = 'idle-copies' | 'idle-folders' | 'old-trash' | 'failed';

const LIST_LIMIT = 500;

export class StorageCleanup {
  constructor(private readonly deps: Deps) {}

  /** Groups of live assets with the same xxHash64 and size, with their folders and who can see them. */
  async duplicates(actor: Actor, limit = 100) {
    const { storage, access } = this.deps;
    const scope = access.scope(actor);
    const found = await storage.duplicates(scope, limit);
    const paths = await this.folderPaths(found.items.flatMap((g) => g.assets.map((a) => a.folderId)));
    const groupsOf = await this.deps.catalog.folders.accessOf([...paths.keys()]);
    return {
      total: found.total,
      bytes: found.bytes,
      groups: found.items.map((group) => ({
        checksum: group.checksum,
        size: group.size,
        assets: group.assets.map((a) => ({
          ...brief(a, paths),
          seenBy: groupsOf.get(a.folderId) ?? [],
        })),
      })),
    };
  }

  /**
   * Keeps one copy of each chosen group; the others go to the trash in one job, audited. Every
   * id must be a live asset the actor may see with the kept one's checksum and size.
   */
  async resolveDuplicates(actor: Actor, choices: Array<{ keep: string; trash: string[] }>) {
    const { storage, access, jobs } = this.deps;
    if (choices.length === 0) throw new Invalid('Choose at least one group of duplicates.');
    const scope = access.scope(actor);
    const all = choices.flatMap((c) => [c.keep, ...c.trash]);
    if (new Set(all).size !== all.length)
      throw new Invalid('An asset is named twice; keep or trash each once.');
    const plan: Array<{ keep: string; trash: string[] }> = [];
    for (const choice of choices) {
      if (choice.trash.length === 0) throw new Invalid('Choose at least one copy to trash in each group.');
      const [kept] = await this.deps.catalog.assets.getMany([choice.keep]);
      const visible = kept && kept.trashedAt === null ? await access.filterAssets(actor, [kept]) : [];
      if (!kept || visible.length === 0 || !kept.checksumXxh64)
        throw new Invalid('The copy to keep is not a live asset with a checksum.');
      const same = new Set(
        (await storage.sameContent(scope, kept.checksumXxh64, kept.size)).map((a) => a.id),
      );
      const stray = choice.trash.filter((id) => !same.has(id));
      if (stray.length > 0)
        throw new Invalid(`${stray.length} of the copies to trash are not duplicates of the one kept.`, {
          assetIds: stray,
        });
      plan.push({ keep: kept.id, trash: choice.trash });
    }
    const jobId = await jobs.enqueue(
      'storage.dedupe',
      { ...requestedBy(actor), groups: plan },
      { maxAttempts: 3 },
    );
    return { jobId, trash: plan.reduce((n, p) => n + p.trash.length, 0) };
  }

  /** The `storage.dedupe` job: trashes the copies not kept, checked again (a copy may have changed). */
  async runDedupe(job: JobRecord<'storage.dedupe'>, context: JobContext): Promise<void> {
    const { catalog, audit, access } = this.deps;
    // With the rights the person has when the job runs, not when they asked.
    const actor = await jobActor(job.data, this.deps.actorOf, true);
    let done = 0;
    const total = job.data.groups.reduce((n, g) => n + g.trash.length, 0);
    const trashed: string[] = [];
    for (const group of job.data.groups) {
      const [kept] = await catalog.assets.getMany([group.keep]);
      // The kept copy gone or changed: the others are no longer known duplicates and stay.
      if (!kept || kept.trashedAt !== null || !kept.checksumXxh64) continue;
      const copies = (await catalog.assets.getMany(group.trash)).filter(
        (a) => a.trashedAt === null && a.checksumXxh64 === kept.checksumXxh64 && a.size === kept.size,
      );
      const ids = (await access.filterAssets(actor, copies)).map((a) => a.id);
      if (ids.length > 0) await this.deps.trash.trash(actor, ids);
      trashed.push(...ids);
      done += group.trash.length;
      await context.progress?.(done, total);
    }
    await audit.record(
      actor,
      'storage.duplicates',
      { type: 'job', id: job.id },
      {
        groups: job.data.groups.length,
        trashed,
      },
    );
  }

  /** The four clean-up lists, each with its count and what it would free. */
  async candidates(actor: Actor, idleDays?: number, trashDays?: number) {
    const { storage, access, clock, catalog } = this.deps;
    const settings = await readStorageSettings(catalog.settings);
    const scope = access.scope(actor);
    const idle = idleDays ?? settings.idleDays;
    const oldTrash = trashDays ?? settings.retentionDays;
    const now = clock.now();
    const [copies, folders, trash, failed] = await Promise.all([
      storage.idleCopies(scope, now - idle * DAY_MS, LIST_LIMIT),
      storage.idleFolders(scope, now - idle * DAY_MS),
      storage.trashedBefore(scope, now - oldTrash * DAY_MS, LIST_LIMIT),
      storage.failed(scope, LIST_LIMIT),
    ]);
    const volumeIds = new Set(this.deps.volumes.list(actor).map((v) => v.id));
    const paths = await this.folderPaths([
      ...copies.items.map((c) => c.asset.folderId),
      ...folders.map((f) => f.folderId),
      ...failed.items.map((a) => a.folderId),
    ]);
    const usable = folders.filter((f) => volumeIds.has(f.volumeId) && paths.has(f.folderId));
    return {
      idleDays: idle,
      trashDays: oldTrash,
      idleCopies: {
        total: copies.total,
        bytes: copies.bytes,
        items: copies.items.map((c) => ({
          ...brief(c.asset, paths),
          volumeId: c.volumeId,
          volumePath: c.path,
          copyBytes: c.size,
          touchedAt: new Date(c.mtime).toISOString(),
        })),
      },
      idleFolders: {
        total: usable.length,
        bytes: usable.reduce((n, f) => n + f.bytes, 0),
        items: usable.slice(0, LIST_LIMIT).map((f) => ({
          folderId: f.folderId,
          path: paths.get(f.folderId)!,
          volumeId: f.volumeId,
          assets: f.assets,
          bytes: f.bytes,
          touchedAt: new Date(f.lastTouched).toISOString(),
        })),
      },
      oldTrash: {
        total: trash.total,
        bytes: trash.bytes,
        items: trash.items.map((a) => ({
          ...brief(a, paths),
          trashedAt: new Date(a.trashedAt!).toISOString(),
        })),
      },
      failed: {
        total: failed.total,
        bytes: failed.bytes,
        items: failed.items.map((a) => ({ ...brief(a, paths), reason: a.stateReason })),
      },
    };
  }

  /**
   * One action per list, on exactly the ids chosen: copies removed from the volume (idle copies:
   * asset ids; idle folders: folder ids, every copy of their live assets), old trash emptied,
   * failed assets moved to the trash.
   */
  async act(actor: Actor, input: { list: CleanupList; ids: string[]; volumeId?: string }) {
    const { storage, access, audit } = this.deps;
    if (input.ids.length === 0) throw new Invalid('Choose at least one item.');
    if (new Set(input.ids).size !== input.ids.length) throw new Invalid('An item is named twice.');
    let result: Record<string, unknown>;
    switch (input.list) {
      case 'idle-copies': {
        if (!input.volumeId)
          throw new Invalid('Name the volume to remove the copies from.', { field: 'volumeId' });
        result = {
          jobs: (await this.deps.volumes.requestRemove(actor, input.volumeId, input.ids)).jobs.length,
        };
        break;
      }
      case 'idle-folders': {
        if (!input.volumeId)
          throw new Invalid('Name the volume to remove the copies from.', { field: 'volumeId' });
        const visible = await access.visibleFolderIds(actor, input.ids);
        if (visible.size !== input.ids.length) throw new Invalid('A folder chosen was not found.');
        const copies = await storage.copiesInFolders(input.volumeId, input.ids);
        if (copies.length === 0) throw new Invalid('Those folders have no copies on that volume.');
        const { jobs } = await this.deps.volumes.requestRemove(
          actor,
          input.volumeId,
          copies.map((c) => c.assetId),
        );
        result = { jobs };
        break;
      }
      case 'old-trash':
        result = await this.deps.trash.empty(actor, { ids: input.ids });
        break;
      case 'failed': {
        // What the actor may not see is left out first, so a hidden id is refused as a missing one is.
        const chosen = await access.filterAssets(actor, await this.deps.catalog.assets.getMany(input.ids));
        const failedIds = chosen.filter((a) => a.state === 'failed' && a.trashedAt === null).map((a) => a.id);
        if (failedIds.length !== input.ids.length)
          throw new Invalid('Only failed live assets can be cleaned up here.');
        result = await this.deps.trash.trash(actor, failedIds);
        break;
      }
      default:
        throw new Invalid('No such clean-up list.');
    }
    await audit.record(
      actor,
      'storage.cleanup',
      {},
      { list: input.list, volumeId: input.volumeId ?? null, ids: input.ids, ...result },
    );
    return { list: input.list, ...result };
  }

  /** When each trashed original will be purged, by day, for the trash page (next `days` days). */
  async retention(actor: Actor, days = 14) {
    const { storage, access, clock, catalog } = this.deps;
    const settings = await readStorageSettings(catalog.settings);
    if (settings.retentionDays === 0) return { retentionDays: 0, upcoming: [] };
    const now = clock.now();
    const window = DAY_MS * settings.retentionDays;
    const due = await storage.trashedBefore(access.scope(actor), now + days * DAY_MS - window, 100_000);
    const byDay = new Map<string, { day: string; assets: number; bytes: number }>();
    for (const asset of due.items) {
      const day = dayOf(Math.max(asset.trashedAt! + window, now));
      const entry = byDay.get(day) ?? { day, assets: 0, bytes: 0 };
      entry.assets++;
      entry.bytes += asset.size;
      byDay.set(day, entry);
    }
    return { retentionDays: settings.retentionDays, upcoming: [...byDay.values()] };
  }

  /** Purges trashed originals past their retention (run by the server hourly; audited). */
  async purgeExpired(): Promise<{ purged: number; before: number | null }> {
    const { clock, catalog, audit } = this.deps;
    const settings = await readStorageSettings(catalog.settings);
    if (settings.retentionDays === 0) return { purged: 0, before: null };
    const before = clock.now() - settings.retentionDays * DAY_MS;
    const { purged } = await this.deps.trash.empty(SYSTEM_ACTOR, { olderThan: before });
    if (purged > 0)
      await audit.record(
        SYSTEM_ACTOR,
        'storage.retention',
        {},
        {
          purged,
          retentionDays: settings.retentionDays,
          trashedBefore: new Date(before).toISOString(),
        },
      );
    return { purged, before };
  }

  private async folderPaths(ids: string[]): Promise<Map<string, string>> {
    const folders = await this.deps.catalog.folders.getManyByIds([...new Set(ids)]);
    return new Map(folders.map((f) => [f.id, f.path]));
  }
}

function brief(asset: Asset, paths: Map<string, string>) {
  return {
    id: asset.id,
    name: asset.name,
    folderPath: paths.get(asset.folderId) ?? asset.trashedFrom ?? null,
    size: asset.size,
    kind: asset.kind,
    format: asset.format,
  };
}
