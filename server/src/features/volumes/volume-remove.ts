import { Conflict, Forbidden, Invalid } from '../../lib/errors.js';
import type { JobContext, JobRecord } from '../../ports/job-queue.js';
import type { AssetLocation, LocationFrame } from '../../ports/volume.js';
import { mayForceVolumeRemoval } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { jobActor, requestedBy } from '../access/job-actor.js';
import { loadVisibleAssets } from '../assets/asset-access.js';
import { framePath, framesOnVolume } from './sequence-copy.js';
import { hashOnVolume, throttled } from './volume-hashing.js';
import { inRequestOrder, type QueuedJobs, queuePerAsset, type VolumeParts } from './volume-jobs.js';
import { displayOf } from './volume-registry.js';

type Deps = VolumeParts;

/** Checked removals: a copy goes only while it still holds the bytes Dailies wrote (unless forced). */
export class VolumeRemove {
  constructor(private readonly deps: Deps) {}

  async request(actor: Actor, volumeId: string, ids: string[], force = false): Promise<QueuedJobs> {
    const { catalog, access, jobs, locations } = this.deps;
    const { config } = this.deps.registry.require(actor, volumeId);
    if (force && !mayForceVolumeRemoval(actor))
      throw new Forbidden('Only an admin may force a removal from a volume.');
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
    return queuePerAsset(
      jobs,
      'volume.remove',
      assets,
      (asset) => ({ ...requestedBy(actor), volumeId, assetId: asset.id, force }),
      // A kept file is an answer, not a failure to retry.
      (asset) => ({ key: `${asset.id}:${volumeId}:remove`, maxAttempts: 1 }),
    );
  }

  /** The `volume.remove` job: deletes the copy only while it still holds the bytes Dailies wrote. */
  async run(job: JobRecord<'volume.remove'>, context: JobContext): Promise<void> {
    const { locations, changes } = this.deps;
    const { config, volume } = this.deps.registry.configured(job.data.volumeId);
    const { assetId, force } = job.data;
    const actor = await jobActor(job.data, this.deps.actorOf);
    const location = await locations.get(assetId, config.id);
    if (!location) return;
    const shown = displayOf(config, location.path);
    if (location.frames) {
      await this.removeFrames(actor, location, location.frames, force, context);
      return;
    }
    const before = await volume.stat(location.path);
    if (!before) {
      await locations.delete(assetId, config.id);
      await changes.record(actor, 'volume.remove', assetId, {
        volume: config.id,
        path: shown,
        result: 'already gone',
      });
      return;
    }
    if (!force) {
      const report = throttled(context, before.size);
      const actual = await hashOnVolume(volume, location.path, context.signal, report);
      const after = await volume.stat(location.path);
      const same =
        actual === location.xxh64 && after && after.size === before.size && after.mtime === before.mtime;
      if (!same) {
        await locations.update(assetId, config.id, {
          state: 'changed',
          size: after?.size ?? before.size,
          mtime: after?.mtime ?? before.mtime,
        });
        await changes.record(actor, 'volume.remove.refused', assetId, {
          volume: config.id,
          path: shown,
          xxh64: actual,
          copied: location.xxh64,
        });
        throw new Conflict(
          `Kept ${shown}: it was changed on the volume after Dailies copied it (xxh64 ${actual}, Dailies wrote ${location.xxh64}). Only an admin may force its removal.`,
        );
      }
    }
    await volume.delete(location.path);
    await locations.delete(assetId, config.id);
    await changes.record(actor, force ? 'volume.remove.force' : 'volume.remove', assetId, {
      volume: config.id,
      path: shown,
      xxh64: location.xxh64,
    });
  }

  /**
   * A sequence's copy: exactly the frame files Dailies wrote go (a file an editor added to the
   * folder stays, and so does the folder then), and only while every one still holds the bytes
   * Dailies wrote, unless forced. One changed frame keeps them all: half a plate is no use.
   */
  private async removeFrames(
    actor: Actor,
    location: AssetLocation,
    frames: LocationFrame[],
    force: boolean,
    context: JobContext,
  ): Promise<void> {
    const { locations, changes } = this.deps;
    const { config, volume } = this.deps.registry.configured(location.volumeId);
    const shown = displayOf(config, location.path);
    if (!force) {
      const report = throttled(context, location.size);
      const found = await framesOnVolume(volume, location.path, frames, {
        hashAll: true,
        signal: context.signal,
        onBytes: report,
      });
      if (found.changed.length > 0) {
        await locations.update(location.assetId, config.id, { state: 'changed', frames: found.frames });
        await changes.record(actor, 'volume.remove.refused', location.assetId, {
          volume: config.id,
          path: shown,
          changedFrames: found.changed,
        });
        const named = found.changed
          .slice(0, 5)
          .map((n) => `"${n}"`)
          .join(', ');
        const more = found.changed.length > 5 ? ` and ${found.changed.length - 5} more` : '';
        throw new Conflict(
          `Kept ${shown}: ${found.changed.length === 1 ? 'the frame' : 'the frames'} ${named}${more} changed on the volume after Dailies copied ${found.changed.length === 1 ? 'it' : 'them'}. Only an admin may force the removal.`,
        );
      }
    }
    for (const frame of frames) await volume.delete(framePath(location.path, frame.name));
    await volume.removeEmptyFolder(location.path);
    await locations.delete(location.assetId, config.id);
    await changes.record(actor, force ? 'volume.remove.force' : 'volume.remove', location.assetId, {
      volume: config.id,
      path: shown,
      xxh64: location.xxh64,
      frames: frames.length,
    });
  }
}
