import { StorageError } from '../../lib/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { AssetLocation } from '../../ports/volume.js';
import { isAdmin } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { framesOnVolume } from './sequence-copy.js';
import { hashOnVolume } from './volume-hashing.js';
import type { VolumeParts } from './volume-jobs.js';
import { displayOf } from './volume-registry.js';

export interface ScanResult {
  checked: number;
  missing: number;
  changed: number;
  /** Temporary files left by copies that were killed, removed. */
  swept: number;
}

/** A temporary file younger than this may belong to a copy just starting; it is left for the next sweep. */
const SWEEP_IDLE_MS = 60_000;

interface Deps extends VolumeParts {
  clock: Clock;
}

type Seen = { checked: string[]; missing: string[]; changed: string[] };

/** Drift: copies deleted or changed on the volume by others, and debris of killed copies. */
export class VolumeDrift {
  constructor(private readonly deps: Deps) {}

  /** Notices copies deleted or changed on the volume by others and updates locations. */
  async scan(actor: Actor, volumeId: string): Promise<ScanResult> {
    this.deps.registry.require(actor, volumeId);
    const seen: Seen = { checked: [], missing: [], changed: [] };
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
    for (const { config } of this.deps.registry.all()) {
      await this.scanVolume(config.id, actor).catch((error) =>
        log(`scan of volume ${config.id} failed`, error),
      );
    }
  }

  /**
   * Removes temporary files that copies killed mid-way left on the volume. One whose writer was a
   * process of this host that no longer runs goes at once (its job, still marked running until
   * its lease runs out, writes a new one when taken again); any other waits until it is idle and
   * its copy job is neither queued nor running. Returns how many.
   */
  async sweepTemporaries(volumeId: string): Promise<number> {
    const { volume } = this.deps.registry.configured(volumeId);
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
    for (const { config } of this.deps.registry.all()) {
      await this.sweepTemporaries(config.id).catch((error) =>
        log(`sweep of volume ${config.id} failed`, error),
      );
    }
  }

  private async scanVolume(volumeId: string, actor: Actor, seen?: Seen): Promise<ScanResult> {
    const { locations, changes } = this.deps;
    const { config, volume } = this.deps.registry.configured(volumeId);
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
        // A sequence's copy is its frame files: gone when none is left, changed when any differs.
        const frames = location.frames
          ? await framesOnVolume(volume, location.path, location.frames, { hashAll: false })
          : null;
        const file = frames
          ? frames.gone.length === frames.frames.length
            ? null
            : { size: location.size, mtime: location.mtime }
          : await volume.stat(location.path);
        if (!file) {
          await locations.delete(location.assetId, volumeId);
          result.missing++;
          seen?.missing.push(location.assetId);
          await changes.record(actor, 'volume.drift', location.assetId, {
            volume: volumeId,
            path: shown,
            found: 'deleted',
          });
          continue;
        }
        let state: AssetLocation['state'];
        if (frames) {
          state = frames.gone.length + frames.changed.length === 0 ? 'verified' : 'changed';
          if (state === location.state && JSON.stringify(frames.frames) === JSON.stringify(location.frames))
            continue;
          await locations.update(location.assetId, volumeId, { state, frames: frames.frames });
        } else {
          if (file.size === location.size && file.mtime === location.mtime) continue;
          const actual = await hashOnVolume(volume, location.path);
          state = actual === location.xxh64 ? 'verified' : 'changed';
          await locations.update(location.assetId, volumeId, { size: file.size, mtime: file.mtime, state });
        }
        if (state !== location.state) {
          if (state === 'changed') {
            result.changed++;
            seen?.changed.push(location.assetId);
          }
          await changes.record(actor, 'volume.drift', location.assetId, {
            volume: volumeId,
            path: shown,
            found: state === 'changed' ? 'changed' : 'restored',
          });
        }
      }
      after = page[page.length - 1].assetId;
    }
    return result;
  }
}
