import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { VolumeConfig } from '../../config.js';
import { ChecksumAccumulator, Xxh64Accumulator } from '../../lib/checksums.js';
import { crashPoint } from '../../lib/crash-points.js';
import {
  AppError,
  Conflict,
  Forbidden,
  InsufficientStorage,
  Invalid,
  NotFound,
  StorageError,
} from '../../lib/errors.js';
import {
  assetKey,
  folderSegments,
  joinFolder,
  normalizeFolderPath,
  parentPath,
  validateName,
} from '../../lib/paths.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import { FinalJobError, type JobContext, type JobQueue, type JobRecord } from '../../ports/job-queue.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { AssetLocation, LocationRepository, Volume, VolumeEntry } from '../../ports/volume.js';
import { type AccessPolicy, isAdmin } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { loadVisibleAssets } from '../assets/asset-access.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ImportService } from '../imports/import.service.js';

export interface VolumeView {
  id: string;
  name: string;
  displayPath: string;
  groups: string[];
}

export interface VolumeListing {
  volume: string;
  path: string;
  entries: VolumeEntry[];
}

export interface ScanResult {
  checked: number;
  missing: number;
  changed: number;
  /** Temporary files left by copies that were killed, removed. */
  swept: number;
}

/** A temporary file younger than this may belong to a copy just starting; it is left for the next sweep. */
const SWEEP_IDLE_MS = 60_000;

export interface QueuedJobs {
  jobs: Array<{ assetId: string; jobId: string }>;
}

interface Deps {
  volumes: Array<{ config: VolumeConfig; volume: Volume }>;
  locations: LocationRepository;
  catalog: Catalog;
  lake: ObjectStore;
  access: AccessPolicy;
  audit: AuditService;
  events: EventBus;
  clock: Clock;
  jobs: JobQueue;
  imports: ImportService;
  /** The account as it is now (its groups today), or null when it is gone or disabled. */
  actorOf?: (actorId: string) => Promise<Actor | null>;
}

type Hasher = { update(chunk: Uint8Array): void };

/**
 * Edit volumes: verified copies from the lake, checked removals, drift scans and bring-back.
 * The lake's folder path is kept under the volume root. A copy is written under a hidden
 * temporary name, read back and compared by xxHash64, then given its name without ever
 * replacing a file; only then does the asset's location set gain the volume.
 */
export class VolumesService {
  private volumes: Array<{ config: VolumeConfig; volume: Volume }> = [];
  private byId = new Map<string, { config: VolumeConfig; volume: Volume }>();

  constructor(private readonly deps: Deps) {
    this.replace(deps.volumes);
  }

  /** The volumes saved on the settings page take effect at once; jobs on a dropped one fail, named. */
  replace(volumes: Array<{ config: VolumeConfig; volume: Volume }>): void {
    this.volumes = [...volumes];
    this.byId = new Map(volumes.map((v) => [v.config.id, v]));
  }

  /** The volumes the actor may use. */
  list(actor: Actor): VolumeView[] {
    return this.volumes.filter((v) => mayUse(actor, v.config)).map((v) => view(v.config));
  }

  /** Extra locations of each asset: the ids of the volumes holding a verified copy. */
  async locationsOf(assetIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const location of await this.deps.locations.forAssets(assetIds)) {
      if (location.state !== 'verified' || !this.byId.has(location.volumeId)) continue;
      const list = out.get(location.assetId) ?? [];
      list.push(location.volumeId);
      out.set(location.assetId, list.sort());
    }
    return out;
  }

  async requestCopy(actor: Actor, volumeId: string, ids: string[]): Promise<QueuedJobs> {
    const { catalog, access, jobs } = this.deps;
    const { config } = this.require(actor, volumeId);
    if (ids.length === 0) throw new Invalid('Choose at least one asset to copy.');
    const { assets, folderPaths } = await loadVisibleAssets(catalog, access, actor, ids);
    inRequestOrder(assets, ids);
    // Every name is checked before any byte is copied.
    for (const asset of assets) volumePath(folderPaths.get(asset.folderId)!, asset.name, config);
    const queued: QueuedJobs['jobs'] = [];
    for (const asset of assets) {
      const jobId = await jobs.enqueue(
        'volume.copy',
        { actorId: actor.id, actorName: actor.username, volumeId, assetId: asset.id },
        { key: `${asset.id}:${volumeId}:copy`, maxAttempts: 3 },
      );
      queued.push({ assetId: asset.id, jobId });
    }
    return { jobs: queued };
  }

  /** The `volume.copy` job. Idempotent: a copy already in place with the right bytes is adopted. */
  async runCopy(job: JobRecord<'volume.copy'>, context: JobContext): Promise<void> {
    const { catalog, lake, locations } = this.deps;
    const { config, volume } = this.configured(job.data.volumeId);
    const asset = await catalog.assets.get(job.data.assetId);
    if (!asset || asset.trashedAt !== null) throw new NotFound('The asset no longer exists.');
    const folderPath = (await catalog.folders.getById(asset.folderId))?.path ?? '/';
    const key = assetKey(folderPath, asset.name);
    const path = volumePath(folderPath, asset.name, config);
    const actor = jobActor(job.data);
    const shown = displayOf(config, path);

    if (await volume.stat(path)) {
      // A copy killed between placing the file and removing its temporary left that behind.
      await volume.discardTemp(path, asset.id);
      await this.adoptOrRefuse(actor, asset, folderPath, config, volume, path, context);
      return;
    }

    const total = asset.size * 2;
    const report = throttled(context, total);
    // Both checksums when the asset has none yet (they are stored). Otherwise nothing is hashed on
    // the way in: what the volume reads back must equal the asset's own xxHash64, and only a
    // mismatch reads the lake again to say which side differs.
    const full = asset.checksumXxh64 ? null : new ChecksumAccumulator();
    const readBack = new Xxh64Accumulator();
    let sent = 0;
    let tempPath: string | null = null;
    try {
      // A lake object on this server's disks is copied by the kernel, unless it must be hashed on the way.
      const localFile = full ? undefined : lake.localPath?.(key);
      if (localFile && !(await lake.head(key))) throw new NotFound(`"${key}" is not in the lake.`);
      context.signal?.throwIfAborted();
      tempPath = await volume.writeTemp(
        path,
        asset.id,
        localFile
          ? { file: localFile }
          : { stream: passThrough(await lake.read(key), full ? [full] : [], context.signal) },
        {
          written: (bytes) => {
            sent = bytes;
            report(sent + readBack.bytes);
          },
          readBack: (bytes) => {
            readBack.update(bytes);
            report(sent + readBack.bytes);
          },
        },
      );
      const written = full ? full.digest() : null;
      const expected = written ? written.xxh64 : asset.checksumXxh64!;
      if (written) {
        await catalog.assets.update(asset.id, { checksumXxh64: written.xxh64, checksumMd5: written.md5 });
      }
      const onVolume = readBack.digest();
      if (readBack.bytes !== sent || onVolume !== expected) {
        const inLake = written ? expected : await this.hashStream(await lake.read(key), context.signal);
        if (inLake !== expected) {
          throw new Error(
            `The lake's bytes of "${key}" no longer match the asset's checksum (xxh64 ${inLake}, expected ${expected}); nothing was copied.`,
          );
        }
        throw new Error(
          `The copy on ${config.name} read back differently (xxh64 ${onVolume} of ${readBack.bytes} bytes, expected ${expected} of ${sent}); nothing was kept.`,
        );
      }
      let placed: Awaited<ReturnType<Volume['commit']>>;
      try {
        placed = await volume.commit(tempPath, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        // Someone put a file there while we copied: never replace it.
        await volume.delete(tempPath);
        tempPath = null;
        await this.adoptOrRefuse(
          actor,
          { ...asset, checksumXxh64: expected },
          folderPath,
          config,
          volume,
          path,
          context,
        );
        return;
      }
      tempPath = null;
      await crashPoint('volume.afterCommit');
      await locations.put({
        assetId: asset.id,
        volumeId: config.id,
        path,
        xxh64: expected,
        size: placed.size,
        mtime: placed.mtime,
        copiedAt: this.deps.clock.now(),
        state: 'verified',
      });
      await context.progress(total, total);
      await this.deps.audit.record(
        actor,
        'volume.copy',
        { type: 'asset', id: asset.id },
        { volume: config.id, path: shown, size: placed.size, xxh64: expected },
      );
      this.deps.events.publish({ type: 'asset.changed', assetId: asset.id, folderPath });
    } catch (error) {
      if (tempPath) await volume.delete(tempPath).catch(() => {});
      throw explain(error, config, shown);
    }
  }

  async requestRemove(actor: Actor, volumeId: string, ids: string[], force = false): Promise<QueuedJobs> {
    const { catalog, access, jobs, locations } = this.deps;
    const { config } = this.require(actor, volumeId);
    if (force && !isAdmin(actor)) throw new Forbidden('Only an admin may force a removal from a volume.');
    if (ids.length === 0) throw new Invalid('Choose at least one asset to remove.');
    const { assets } = await loadVisibleAssets(catalog, access, actor, ids);
    inRequestOrder(assets, ids);
    const held = new Set(
      (await locations.forAssets(assets.map((a) => a.id)))
        .filter((l) => l.volumeId === volumeId)
        .map((l) => l.assetId),
    );
    const missing = assets.filter((a) => !held.has(a.id));
    if (missing.length > 0)
      throw new Invalid(
        `${missing.map((a) => `"${a.name}"`).join(', ')} ${missing.length === 1 ? 'has' : 'have'} no copy on ${config.name}.`,
      );
    const queued: QueuedJobs['jobs'] = [];
    for (const asset of assets) {
      const jobId = await jobs.enqueue(
        'volume.remove',
        { actorId: actor.id, actorName: actor.username, volumeId, assetId: asset.id, force },
        // A kept file is an answer, not a failure to retry.
        { key: `${asset.id}:${volumeId}:remove`, maxAttempts: 1 },
      );
      queued.push({ assetId: asset.id, jobId });
    }
    return { jobs: queued };
  }

  /** The `volume.remove` job: deletes the copy only while it still holds the bytes Dailies wrote. */
  async runRemove(job: JobRecord<'volume.remove'>, context: JobContext): Promise<void> {
    const { locations, audit } = this.deps;
    const { config, volume } = this.configured(job.data.volumeId);
    const { assetId, force } = job.data;
    const actor = jobActor(job.data);
    const location = await locations.get(assetId, config.id);
    if (!location) return;
    const shown = displayOf(config, location.path);
    const before = await volume.stat(location.path);
    if (!before) {
      await locations.delete(assetId, config.id);
      await audit.record(
        actor,
        'volume.remove',
        { type: 'asset', id: assetId },
        {
          volume: config.id,
          path: shown,
          result: 'already gone',
        },
      );
      await this.publishChanged(assetId);
      return;
    }
    if (!force) {
      const report = throttled(context, before.size);
      const actual = await this.hash(volume, location.path, context.signal, report);
      const after = await volume.stat(location.path);
      const same =
        actual === location.xxh64 && after && after.size === before.size && after.mtime === before.mtime;
      if (!same) {
        await locations.update(assetId, config.id, {
          state: 'changed',
          size: after?.size ?? before.size,
          mtime: after?.mtime ?? before.mtime,
        });
        await audit.record(
          actor,
          'volume.remove.refused',
          { type: 'asset', id: assetId },
          {
            volume: config.id,
            path: shown,
            xxh64: actual,
            copied: location.xxh64,
          },
        );
        await this.publishChanged(assetId);
        throw new Conflict(
          `Kept ${shown}: it was changed on the volume after Dailies copied it (xxh64 ${actual}, Dailies wrote ${location.xxh64}). Only an admin may force its removal.`,
        );
      }
    }
    await volume.delete(location.path);
    await locations.delete(assetId, config.id);
    await audit.record(
      actor,
      force ? 'volume.remove.force' : 'volume.remove',
      { type: 'asset', id: assetId },
      {
        volume: config.id,
        path: shown,
        xxh64: location.xxh64,
      },
    );
    await this.publishChanged(assetId);
  }

  /** Notices copies deleted or changed on the volume by others and updates locations. */
  async scan(actor: Actor, volumeId: string): Promise<ScanResult> {
    this.require(actor, volumeId);
    const seen = { checked: [] as string[], missing: [] as string[], changed: [] as string[] };
    const result = await this.scanVolume(volumeId, actor, seen);
    if (isAdmin(actor)) return result;
    // Every copy is checked, but a person is told only of the assets they may see.
    const assets = await this.deps.catalog.assets.getMany([...new Set(seen.checked)]);
    const visible = new Set((await this.deps.access.filterAssets(actor, assets)).map((a) => a.id));
    const count = (ids: string[]) => ids.filter((id) => visible.has(id)).length;
    return {
      ...result,
      checked: count(seen.checked),
      missing: count(seen.missing),
      changed: count(seen.changed),
    };
  }

  /** Every volume, for the periodic scan. */
  async scanAll(actor: Actor, log: (message: string, error?: unknown) => void): Promise<void> {
    for (const { config } of this.volumes) {
      await this.scanVolume(config.id, actor).catch((error) =>
        log(`scan of volume ${config.id} failed`, error),
      );
    }
  }

  /**
   * A folder of the volume, as the actor may see it: what mirrors a lake folder hidden from
   * them, and copies of assets they cannot see, are left out; such a folder itself looks
   * missing (404).
   */
  async browse(actor: Actor, volumeId: string, path = ''): Promise<VolumeListing> {
    const { volume } = this.require(actor, volumeId);
    const folder = await volume.canonicalPath(path);
    const missing = () =>
      new NotFound(`"/${path.split('/').filter(Boolean).join('/')}" is not a folder on the volume.`);
    if (
      folder === null ||
      (await this.hiddenPaths(actor, volumeId, [{ path: folder, type: 'folder' }])).size > 0
    )
      throw missing();
    let entries: VolumeEntry[];
    try {
      entries = await volume.list(folder);
    } catch (error) {
      if (error instanceof Invalid && error.message.includes('not a folder')) throw missing();
      throw error;
    }
    const hidden = await this.hiddenPaths(actor, volumeId, entries);
    return { volume: volumeId, path: `/${folder}`, entries: entries.filter((e) => !hidden.has(e.path)) };
  }

  async requestImport(
    actor: Actor,
    volumeId: string,
    paths: string[],
    folder: string,
  ): Promise<{ jobId: string }> {
    const { volume } = this.require(actor, volumeId);
    if (paths.length === 0) throw new Invalid('Choose at least one file or folder to bring back.');
    const target = normalizeFolderPath(folder);
    // Write access to the target is checked now (on its deepest existing folder), not only
    // when the job runs: a folder the caller cannot see answers 404 like a missing one.
    let existing: string | null = target;
    while (existing && !(await this.deps.catalog.folders.getByPath(existing)))
      existing = parentPath(existing);
    await this.deps.access.requireFolder(actor, existing ?? '/');
    // Each source is checked as the actor may see it: a copy of a hidden asset, or anything
    // under a lake folder hidden from them, is missing.
    const sources: string[] = [];
    for (const path of paths) {
      const real = await volume.canonicalPath(path);
      const type =
        real === null ? null : (await volume.stat(real)) ? 'file' : await folderOrNothing(volume, real);
      if (
        real === null ||
        type === null ||
        (await this.hiddenPaths(actor, volumeId, [{ path: real, type }])).size > 0
      )
        throw new NotFound(`"${path}" was not found on the volume.`);
      sources.push(real);
    }
    const jobId = await this.deps.jobs.enqueue('volume.import', {
      actorId: actor.id,
      actor: { id: actor.id, username: actor.username, groups: actor.groups, isAdmin: actor.isAdmin },
      volumeId,
      paths: sources,
      folder: target,
    });
    return { jobId };
  }

  /** The `volume.import` job: each file goes through the import path, checksummed and processed. */
  async runImport(job: JobRecord<'volume.import'>, context: JobContext): Promise<void> {
    const { imports, catalog, audit } = this.deps;
    const { config, volume } = this.configured(job.data.volumeId);
    // Rights as they are when the job runs, not when it was asked for: an account removed from
    // a group (or disabled) since brings back nothing it may no longer see.
    const actor = this.deps.actorOf ? await this.deps.actorOf(job.data.actorId) : job.data.actor;
    if (!actor)
      throw new FinalJobError(
        'The account that asked for this is gone or disabled; nothing was brought back.',
      );
    const files: Array<{ path: string; size: number; folder: string; name: string }> = [];
    for (const raw of job.data.paths) {
      const path = raw.split('/').filter(Boolean).join('/');
      const file = await volume.stat(path);
      if (file) {
        files.push({ path, size: file.size, folder: job.data.folder, name: posix.basename(path) });
        continue;
      }
      const base = posix.basename(path);
      const root = base ? joinFolder(job.data.folder, base) : job.data.folder;
      for await (const f of volume.walk(path)) {
        const relative = path ? f.path.slice(path.length + 1) : f.path;
        const dir = posix.dirname(relative);
        files.push({
          path: f.path,
          size: f.size,
          folder: dir === '.' ? root : `${root}/${dir}`,
          name: posix.basename(f.path),
        });
      }
    }
    // Checked again as the job runs: rights may have changed, and a folder may hold more now.
    const hidden = await this.hiddenPaths(
      actor,
      config.id,
      files.map((f) => ({ path: f.path, type: 'file' as const })),
    );
    const failures: string[] = [];
    const imported: string[] = [];
    const given = new Set(job.data.paths.map((p) => p.split('/').filter(Boolean).join('/')));
    for (const f of files.filter((file) => hidden.has(file.path) && given.has(file.path)))
      failures.push(`${f.path}: not found on the volume.`);
    files.splice(0, files.length, ...files.filter((f) => !hidden.has(f.path)));
    for (let i = 0; i < files.length; i++) {
      context.signal.throwIfAborted();
      const f = files[i];
      try {
        const asset = await imports.importStream(actor, f.folder, f.name, await volume.read(f.path), f.size);
        imported.push(asset.id);
      } catch (error) {
        // A retry finds what the earlier attempt already brought in.
        const done =
          error instanceof Conflict && job.attempts > 1 && (await this.sameAsset(f.folder, f.name, f.size));
        if (!done) failures.push(`${f.path}: ${(error as Error).message}`);
      }
      await context.progress(i + 1, files.length);
    }
    await audit.record(
      actor,
      'volume.import',
      { type: 'volume', id: config.id },
      {
        paths: job.data.paths,
        folder: job.data.folder,
        imported: imported.length,
        failed: failures.length,
        assetIds: imported.slice(0, 100),
      },
    );
    void catalog;
    if (failures.length > 0)
      throw new Error(
        `${failures.length} of ${files.length} files could not be brought back. ${failures.slice(0, 5).join('; ')}`,
      );
  }

  /**
   * The volume paths the actor may not see (admins: none). A file that is a copy of an asset
   * (its recorded location) follows that asset's folder; any path follows the lake folder it
   * mirrors — for a file its folder, for a folder itself — or, when that folder is not in the
   * lake, the deepest one above it that is. Both rules, so neither a copy whose asset moved
   * nor a file an editor put beside copies of hidden footage gets through.
   */
  private async hiddenPaths(
    actor: Actor,
    volumeId: string,
    entries: Array<{ path: string; type: 'file' | 'folder' }>,
  ): Promise<Set<string>> {
    const hidden = new Set<string>();
    if (isAdmin(actor) || entries.length === 0) return hidden;
    const { catalog, access, locations } = this.deps;
    const files = entries.filter((e) => e.type === 'file').map((e) => e.path);
    const copies = await locations.atPaths(volumeId, files);
    if (copies.length > 0) {
      const assets = await catalog.assets.getMany([...new Set(copies.map((c) => c.assetId))]);
      const visible = new Set((await access.filterAssets(actor, assets)).map((a) => a.id));
      const known = new Set(assets.map((a) => a.id));
      for (const copy of copies)
        if (known.has(copy.assetId) && !visible.has(copy.assetId)) hidden.add(copy.path);
    }
    const mirrored = new Map<string, string>();
    for (const entry of entries) {
      const segments = entry.path.split('/').filter(Boolean);
      if (entry.type === 'file') segments.pop();
      mirrored.set(entry.path, `/${segments.join('/')}`);
    }
    const candidates = new Set<string>();
    for (const folder of mirrored.values())
      for (let p: string | null = folder; p && p !== '/'; p = parentPath(p)) candidates.add(p);
    const inLake = new Set<string>();
    const all = [...candidates];
    // In chunks: a folder of the volume may hold more subfolders than a statement takes parameters.
    for (let i = 0; i < all.length; i += 500)
      for (const f of await catalog.folders.getManyByPaths(all.slice(i, i + 500))) inLake.add(f.path);
    const deepest = new Map<string, string>();
    for (const [path, folder] of mirrored) {
      let p: string | null = folder;
      while (p && p !== '/' && !inLake.has(p)) p = parentPath(p);
      if (p && p !== '/') deepest.set(path, p);
    }
    const visible = new Set<string>();
    const folders = [...new Set(deepest.values())];
    for (let i = 0; i < folders.length; i += 500)
      for (const path of await access.visibleFolderPaths(actor, folders.slice(i, i + 500))) visible.add(path);
    for (const [path, folder] of deepest) if (!visible.has(folder)) hidden.add(path);
    return hidden;
  }

  private async sameAsset(folder: string, name: string, size: number): Promise<boolean> {
    const f = await this.deps.catalog.folders.getByPath(normalizeFolderPath(folder));
    const asset = f ? await this.deps.catalog.assets.findLive(f.id, name) : null;
    return asset?.size === size;
  }

  /**
   * Removes temporary files that copies killed mid-way left on the volume. One whose writer was a
   * process of this host that no longer runs goes at once (its job, still marked running until
   * its lease runs out, writes a new one when taken again); any other waits until it is idle and
   * its copy job is neither queued nor running. Returns how many.
   */
  async sweepTemporaries(volumeId: string): Promise<number> {
    const { volume } = this.configured(volumeId);
    let swept = 0;
    const now = this.deps.clock.now();
    for await (const temp of volume.temporaries()) {
      if (!temp.orphaned) {
        if (now - temp.mtime < SWEEP_IDLE_MS) continue;
        if (temp.tag && (await this.deps.jobs.isActive('volume.copy', `${temp.tag}:${volumeId}:copy`)))
          continue;
      }
      await volume.delete(temp.path);
      swept++;
    }
    return swept;
  }

  /** Every volume, at start: what a killed server left behind goes before new copies begin. */
  async sweepAll(log: (message: string, error?: unknown) => void): Promise<void> {
    for (const { config } of this.volumes) {
      await this.sweepTemporaries(config.id).catch((error) =>
        log(`sweep of volume ${config.id} failed`, error),
      );
    }
  }

  private async scanVolume(
    volumeId: string,
    actor: Actor,
    seen?: { checked: string[]; missing: string[]; changed: string[] },
  ): Promise<ScanResult> {
    const { locations, audit } = this.deps;
    const { config, volume } = this.configured(volumeId);
    const result: ScanResult = { checked: 0, missing: 0, changed: 0, swept: 0 };
    // Debris is swept even on a volume without copies; an unmounted one has none to find.
    if (await volume.hasMarker()) result.swept = await this.sweepTemporaries(volumeId);
    const first = await locations.page(volumeId, null, 1);
    if (first.length === 0) return result;
    // An unmounted share is an empty directory: not a sign that every copy was deleted.
    if (!(await volume.hasMarker()))
      throw new StorageError(
        `The volume "${config.name}" looks unmounted (${volume.describe()}); scan skipped.`,
      );
    let after: string | null = null;
    for (;;) {
      const page: AssetLocation[] = await locations.page(volumeId, after, 500);
      if (page.length === 0) break;
      for (const location of page) {
        result.checked++;
        seen?.checked.push(location.assetId);
        const shown = displayOf(config, location.path);
        const file = await volume.stat(location.path);
        if (!file) {
          await locations.delete(location.assetId, volumeId);
          result.missing++;
          seen?.missing.push(location.assetId);
          await audit.record(
            actor,
            'volume.drift',
            { type: 'asset', id: location.assetId },
            {
              volume: volumeId,
              path: shown,
              found: 'deleted',
            },
          );
          await this.publishChanged(location.assetId);
          continue;
        }
        if (file.size === location.size && file.mtime === location.mtime) continue;
        const actual = await this.hash(volume, location.path);
        const state = actual === location.xxh64 ? 'verified' : 'changed';
        await locations.update(location.assetId, volumeId, { size: file.size, mtime: file.mtime, state });
        if (state !== location.state) {
          if (state === 'changed') {
            result.changed++;
            seen?.changed.push(location.assetId);
          }
          await audit.record(
            actor,
            'volume.drift',
            { type: 'asset', id: location.assetId },
            {
              volume: volumeId,
              path: shown,
              found: state === 'changed' ? 'changed' : 'restored',
            },
          );
          await this.publishChanged(location.assetId);
        }
      }
      after = page[page.length - 1].assetId;
    }
    return result;
  }

  /** A file already at the target: the same bytes are adopted as the copy, anything else is refused. */
  private async adoptOrRefuse(
    actor: Actor,
    asset: Asset,
    folderPath: string,
    config: VolumeConfig,
    volume: Volume,
    path: string,
    context: JobContext,
  ): Promise<void> {
    const shown = displayOf(config, path);
    const expected = asset.checksumXxh64 ?? (await this.lakeChecksum(asset, folderPath, context.signal));
    const before = await volume.stat(path);
    const actual = await this.hash(volume, path, context.signal);
    if (actual !== expected || !before) {
      throw new Conflict(
        `A different file already exists at ${shown}; Dailies never overwrites a file on a volume. Move or rename it on the volume, then copy again.`,
      );
    }
    await this.deps.locations.put({
      assetId: asset.id,
      volumeId: config.id,
      path,
      xxh64: actual,
      size: before.size,
      mtime: before.mtime,
      copiedAt: this.deps.clock.now(),
      state: 'verified',
    });
    await this.deps.audit.record(
      actor,
      'volume.copy',
      { type: 'asset', id: asset.id },
      { volume: config.id, path: shown, size: before.size, xxh64: actual, adopted: true },
    );
    this.deps.events.publish({ type: 'asset.changed', assetId: asset.id, folderPath });
  }

  /** Checksums an asset's original from the lake and stores them (an asset indexed without them). */
  private async lakeChecksum(asset: Asset, folderPath: string, signal?: AbortSignal): Promise<string> {
    const sums = new ChecksumAccumulator();
    for await (const chunk of passThrough(
      await this.deps.lake.read(assetKey(folderPath, asset.name)),
      [sums],
      signal,
    )) {
      void chunk;
    }
    const { xxh64, md5 } = sums.digest();
    await this.deps.catalog.assets.update(asset.id, { checksumXxh64: xxh64, checksumMd5: md5 });
    return xxh64;
  }

  private async hash(
    volume: Volume,
    path: string,
    signal?: AbortSignal,
    onBytes?: (n: number) => void,
  ): Promise<string> {
    return this.hashStream(await volume.read(path), signal, onBytes);
  }

  private async hashStream(source: Readable, signal?: AbortSignal, onBytes?: (n: number) => void) {
    const xxh = new Xxh64Accumulator();
    for await (const chunk of passThrough(source, [xxh], signal, onBytes)) void chunk;
    return xxh.digest();
  }

  private async publishChanged(assetId: string): Promise<void> {
    const asset = await this.deps.catalog.assets.get(assetId);
    if (!asset) return;
    const folder = await this.deps.catalog.folders.getById(asset.folderId);
    this.deps.events.publish({
      type: 'asset.changed',
      assetId,
      folderPath: folder?.path ?? asset.trashedFrom ?? '/',
    });
  }

  /** The volume, or NotFound when it is not configured or the actor may not use it. */
  private require(actor: Actor, volumeId: string): { config: VolumeConfig; volume: Volume } {
    const entry = this.byId.get(volumeId);
    if (!entry || !mayUse(actor, entry.config)) throw new NotFound(`The volume "${volumeId}" was not found.`);
    return entry;
  }

  private configured(volumeId: string): { config: VolumeConfig; volume: Volume } {
    const entry = this.byId.get(volumeId);
    if (!entry) throw new NotFound(`The volume "${volumeId}" is no longer configured.`);
    return entry;
  }
}

/** 'folder' when `path` is a folder of the volume; null when it is nothing the volume lists. */
async function folderOrNothing(volume: Volume, path: string): Promise<'folder' | null> {
  return volume.list(path).then(
    () => 'folder' as const,
    (error) => {
      if (error instanceof Invalid) return null;
      throw error;
    },
  );
}

/** Jobs are answered in the order the ids were asked for. */
function inRequestOrder(assets: Asset[], ids: string[]): void {
  const order = new Map(ids.map((id, i) => [id, i]));
  assets.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

/** Admins use every volume; others one whose groups they share. */
function mayUse(actor: Actor, config: VolumeConfig): boolean {
  return isAdmin(actor) || config.groups.some((g) => actor.groups.includes(g));
}

function view(config: VolumeConfig): VolumeView {
  return { id: config.id, name: config.name, displayPath: config.displayPath, groups: config.groups };
}

/** The asset's path on the volume: its lake path, every segment checked against SMB/NTFS rules. */
function volumePath(folderPath: string, name: string, config: VolumeConfig): string {
  const key = assetKey(folderPath, name);
  try {
    for (const segment of folderSegments(folderPath)) validateName(segment, 'folder name');
    validateName(name, 'file name');
  } catch (error) {
    if (error instanceof Invalid)
      throw new Invalid(`"/${key}" cannot be copied to ${config.name}: ${error.message}`);
    throw error;
  }
  return key;
}

/** The path as editors see it, e.g. `\\fsx\share\Day 01\A001.mov`. */
function displayOf(config: VolumeConfig, path: string): string {
  const windows = config.displayPath.includes('\\');
  const separator = windows ? '\\' : '/';
  const base = config.displayPath.replace(/[\\/]+$/, '');
  return `${base}${separator}${windows ? path.replaceAll('/', '\\') : path}`;
}

function jobActor(data: { actorId: string; actorName: string }): Actor {
  return { id: data.actorId, username: data.actorName, groups: [], isAdmin: false };
}

/** A failure named for a person: a full volume says so. */
function explain(error: unknown, config: VolumeConfig, shown: string): unknown {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new InsufficientStorage(
      `The volume "${config.name}" is full (no space left while copying ${shown}); nothing was left behind.`,
    );
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new StorageError(`The volume "${config.name}" refused the write of ${shown} (${code}).`, error);
  return error;
}

/** Hashes chunks as they pass; stops when the job is aborted. */
async function* passThrough(
  source: Readable,
  hashers: Hasher[],
  signal?: AbortSignal,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  try {
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
      signal?.throwIfAborted();
      for (const h of hashers) h.update(chunk);
      bytes += chunk.length;
      onBytes?.(bytes);
      yield chunk;
    }
  } finally {
    source.destroy();
  }
}

/** Progress reports at most a few times a second. */
function throttled(context: JobContext, total: number): (done: number) => void {
  let last = 0;
  return (done) => {
    const now = Date.now();
    if (now - last < 250) return;
    last = now;
    void context.progress(done, total).catch(() => {});
  };
}
