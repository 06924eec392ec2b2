import type { VolumeConfig } from '../../config.js';
import { ChecksumAccumulator, Xxh64Accumulator } from '../../lib/checksums.js';
import { crashPoint } from '../../lib/crash-points.js';
import {
  AppError,
  Conflict,
  InsufficientStorage,
  Invalid,
  NotFound,
  StorageError,
} from '../../lib/errors.js';
import { assetKey } from '../../lib/paths.js';
import type { Asset } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { JobContext, JobRecord } from '../../ports/job-queue.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { LocationFrame, Volume } from '../../ports/volume.js';
import type { Actor } from '../access/actor.js';
import { jobActor, requestedBy } from '../access/job-actor.js';
import { loadVisibleAssets } from '../assets/asset-access.js';
import { copySequenceFrames, framesDigest } from './sequence-copy.js';
import { hashOnVolume, hashStream, passThrough, throttled } from './volume-hashing.js';
import { inRequestOrder, type QueuedJobs, queuePerAsset, type VolumeParts } from './volume-jobs.js';
import { displayOf, volumePath } from './volume-registry.js';

interface Deps extends VolumeParts {
  lake: ObjectStore;
  clock: Clock;
  /** Told of each verified copy placed or adopted (the volume's ASC MHL generation follows). */
  copied?: (volumeId: string, asset: Asset) => Promise<void>;
}

/**
 * Verified copies from the lake. The lake's folder path is kept under the volume root. A copy
 * is written under a hidden temporary name, read back and compared by xxHash64, then given its
 * name without ever replacing a file; only then does the asset's location set gain the volume.
 */
export class VolumeCopy {
  constructor(private readonly deps: Deps) {}

  async request(actor: Actor, volumeId: string, ids: string[]): Promise<QueuedJobs> {
    const { catalog, access, jobs } = this.deps;
    const { config } = this.deps.registry.require(actor, volumeId);
    if (ids.length === 0) throw new Invalid('Choose at least one asset to copy.');
    const loaded = await loadVisibleAssets(catalog, access, actor, ids);
    const { folderPaths } = loaded;
    // A card's ASC MHL history is carried to the volume by its generation there, not copied as
    // files (the copy's own generation would change the chain under a tracked copy).
    const assets = loaded.assets.filter((a) => !isHistoryFolder(folderPaths.get(a.folderId)!));
    if (assets.length === 0)
      throw new Invalid('ASC MHL history files travel with their card: copy the files of the card instead.');
    inRequestOrder(assets, ids);
    // Every name is checked before any byte is copied.
    for (const asset of assets) volumePath(folderPaths.get(asset.folderId)!, asset.name, config);
    return queuePerAsset(
      jobs,
      'volume.copy',
      assets,
      (asset) => ({ ...requestedBy(actor), volumeId, assetId: asset.id }),
      (asset) => ({ key: `${asset.id}:${volumeId}:copy`, maxAttempts: 3 }),
    );
  }

  /** The `volume.copy` job. Idempotent: a copy already in place with the right bytes is adopted. */
  async run(job: JobRecord<'volume.copy'>, context: JobContext): Promise<void> {
    const { catalog, lake, locations } = this.deps;
    const { config, volume } = this.deps.registry.configured(job.data.volumeId);
    const asset = await catalog.assets.get(job.data.assetId);
    if (!asset || asset.trashedAt !== null) throw new NotFound('The asset no longer exists.');
    const folderPath = (await catalog.folders.getById(asset.folderId))?.path ?? '/';
    const key = assetKey(folderPath, asset.name);
    const path = volumePath(folderPath, asset.name, config);
    const actor = await jobActor(job.data, this.deps.actorOf);
    const shown = displayOf(config, path);

    if (await catalog.sequences.get(asset.id)) {
      await this.copySequence(actor, asset, folderPath, config, volume, path, context);
      return;
    }
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
        const inLake = written ? expected : await hashStream(await lake.read(key), context.signal);
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
      await this.deps.copied?.(config.id, asset);
      await this.deps.changes.record(
        actor,
        'volume.copy',
        asset.id,
        { volume: config.id, path: shown, size: placed.size, xxh64: expected },
        folderPath,
      );
    } catch (error) {
      if (tempPath) await volume.delete(tempPath).catch(() => {});
      throw explain(error, config, shown);
    }
  }

  /** An image sequence: its frames in a folder named for it, each verified (`sequence-copy.ts`). */
  private async copySequence(
    actor: Actor,
    asset: Asset,
    folderPath: string,
    config: VolumeConfig,
    volume: Volume,
    folder: string,
    context: JobContext,
  ): Promise<void> {
    const { catalog, lake, locations } = this.deps;
    const frames = await catalog.sequences.frames(asset.id);
    const shown = displayOf(config, folder);
    let written: LocationFrame[];
    try {
      written = await copySequenceFrames(
        { lake, volume, volumeName: config.name, shown: (path) => displayOf(config, path) },
        asset,
        folderPath,
        folder,
        frames,
        context,
      );
    } catch (error) {
      throw explain(error, config, shown);
    }
    const size = written.reduce((sum, f) => sum + f.size, 0);
    const xxh64 = framesDigest(written);
    await locations.put({
      assetId: asset.id,
      volumeId: config.id,
      path: folder,
      xxh64,
      size,
      mtime: Math.max(...written.map((f) => f.mtime)),
      copiedAt: this.deps.clock.now(),
      state: 'verified',
      frames: written,
    });
    await context.progress(1, 1);
    await this.deps.copied?.(config.id, asset);
    await this.deps.changes.record(
      actor,
      'volume.copy',
      asset.id,
      { volume: config.id, path: shown, size, xxh64, frames: written.length },
      folderPath,
    );
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
    const actual = await hashOnVolume(volume, path, context.signal);
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
    await this.deps.copied?.(config.id, asset);
    await this.deps.changes.record(
      actor,
      'volume.copy',
      asset.id,
      { volume: config.id, path: shown, size: before.size, xxh64: actual, adopted: true },
      folderPath,
    );
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
}

/** A folder that holds an ASC MHL history (`…/ascmhl`). */
function isHistoryFolder(folderPath: string): boolean {
  return folderPath.endsWith('/ascmhl');
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
