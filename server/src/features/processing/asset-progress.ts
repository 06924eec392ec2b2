import { extname, join } from 'node:path';
import type { AssetJobPayload } from '../../jobs/types.js';
import type { Checksums } from '../../lib/checksums.js';
import { assetKey } from '../../lib/paths.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import {
  type EnqueueOptions,
  FinalJobError,
  type JobContext,
  type JobQueue,
  type JobRecord,
} from '../../ports/job-queue.js';
import { MediaError } from '../../ports/media.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { WorkDirs } from '../../ports/work-dirs.js';
import { type AssetJob, type AssetStatus, afterFailedAttempt, stateFromTasks } from './processing-state.js';

export interface ProgressDeps {
  catalog: Catalog;
  lake: ObjectStore;
  jobs: JobQueue;
  events: EventBus;
  clock: Clock;
  workDirs: WorkDirs;
  /** Attempts per job before the asset is marked failed. */
  maxAttempts?: number;
}

/**
 * What the job runners share: queueing an asset's jobs, reading where the asset is, writing the
 * state `processing-state.ts` decides, and telling browsers.
 */
export class AssetProgress {
  constructor(private readonly deps: ProgressDeps) {}

  /** `heavy`: the asset's media is long or huge (`job-weight.ts`), kept out of the light workers. */
  enqueue(name: AssetJob, assetId: string, heavy = false): Promise<string> {
    const { data, options } = this.job(name, assetId, heavy);
    return this.deps.jobs.enqueue(name, data, options);
  }

  /** One job per asset and kind at a time. */
  job(name: AssetJob, assetId: string, heavy = false): { data: AssetJobPayload; options: EnqueueOptions } {
    return {
      data: { assetId },
      options: {
        key: `${assetId}:${name}`,
        maxAttempts: this.deps.maxAttempts ?? 3,
        ...(heavy ? { heavy } : {}),
      },
    };
  }

  /** The asset and where it is, live or in the trash; null when deleted for good. */
  async load(id: string): Promise<{ asset: Asset; folderPath: string } | null> {
    const { catalog } = this.deps;
    const asset = await catalog.assets.get(id);
    if (!asset) return null;
    if (asset.trashedAt !== null) return { asset, folderPath: asset.trashedFrom ?? '/' };
    const folder = await catalog.folders.getById(asset.folderId);
    return folder ? { asset, folderPath: folder.path } : null;
  }

  /**
   * A file the tools can read: the lake's own file when it is a directory; else the copy the
   * asset's jobs share in this process, downloaded once (checksummed as it arrives when asked),
   * or a download into `dir` when the work dir's budget has no room for a shared copy. The
   * caller calls `release` when its tools are done with the file.
   */
  async sourceFile(
    asset: Asset,
    folderPath: string,
    dir: string,
    signal: AbortSignal,
    wantChecksums: boolean,
  ): Promise<{ file: string; checksums: Checksums | null; release(): Promise<void> }> {
    const { lake, workDirs } = this.deps;
    const key = asset.trashKey ?? assetKey(folderPath, asset.name);
    const nothing = async () => {};
    if (lake.localPath) {
      const file = lake.localPath(key);
      if (!wantChecksums) return { file, checksums: null, release: nothing };
      return { file, checksums: await workDirs.checksum(file, signal), release: nothing };
    }
    const extension = extname(asset.name).slice(0, 16);
    const download = async (file: string) =>
      workDirs.download(await lake.read(key), file, signal, wantChecksums);
    const shared = await workDirs.sharedSource(
      { assetId: asset.id, version: asset.etag, extension, sizeBytes: asset.size },
      download,
    );
    if (shared) {
      try {
        const checksums =
          shared.fetched ?? (wantChecksums ? await workDirs.checksum(shared.file, signal) : null);
        return { file: shared.file, checksums, release: shared.release };
      } catch (error) {
        await shared.release();
        throw error;
      }
    }
    const file = join(dir, `source${extension}`);
    return { file, checksums: await download(file), release: nothing };
  }

  /** The asset's jobs are over (ready, failed or gone): its shared original is not needed. */
  async doneWith(assetId: string): Promise<void> {
    await this.deps.workDirs.dropSource(assetId);
  }

  /**
   * A job attempt failed: the asset (a probe) or its task (a derivative) records what
   * `afterFailedAttempt` decides. Returns the FinalJobError that tells the queue to stop
   * retrying, when the failure is deterministic. A stop (shutdown) is no failure at all.
   */
  async attemptFailed(
    job: JobRecord,
    asset: Asset,
    folderPath: string,
    error: unknown,
    context: JobContext,
  ): Promise<FinalJobError | null> {
    if (context.signal.aborted) return null;
    const { catalog, clock } = this.deps;
    const message = (error as Error)?.message ?? String(error);
    const outcome = afterFailedAttempt({
      job: job.name as AssetJob,
      attempt: job.attempts,
      maxAttempts: job.maxAttempts,
      message,
      deterministic: error instanceof MediaError && error.details.deterministic === true,
    });
    const final = outcome.final ? new FinalJobError(message, { cause: error }) : null;
    if (!(await catalog.assets.get(asset.id))) return final;
    if (outcome.probe) await this.setState(asset, folderPath, outcome.probe);
    if (outcome.task) {
      await catalog.processing.setTask(
        asset.id,
        job.name,
        outcome.task.state,
        outcome.task.reason,
        clock.now(),
      );
      await this.settle(asset.id, folderPath);
    }
    return final;
  }

  /**
   * The asset's state from its tasks. Each job records its own task before settling, and a
   * settle that wrote a stale state sees the newer tasks when it checks again, so the last
   * word is always the true one without locking rows (which SQLite cannot).
   */
  async settle(assetId: string, folderPath: string): Promise<void> {
    const { catalog } = this.deps;
    for (let round = 0; round < 5; round++) {
      const asset = await catalog.assets.get(assetId);
      if (!asset) return;
      const wanted = stateFromTasks(await catalog.processing.tasks(assetId));
      // Before the state shows: whoever sees `ready` finds no copy left behind.
      if (wanted.state !== 'processing') await this.doneWith(assetId);
      if (
        asset.state === wanted.state &&
        asset.currentJob === wanted.currentJob &&
        asset.stateReason === wanted.stateReason
      ) {
        return;
      }
      await catalog.assets.update(assetId, wanted);
      this.changed(assetId, folderPath);
    }
  }

  async setState(asset: Asset, folderPath: string, patch: Partial<AssetStatus>): Promise<void> {
    if (patch.state === 'ready' || patch.state === 'failed') await this.doneWith(asset.id);
    await this.deps.catalog.assets.update(asset.id, patch);
    this.changed(asset.id, folderPath);
  }

  changed(assetId: string, folderPath: string): void {
    this.deps.events.publish({ type: 'asset.changed', assetId, folderPath });
  }
}
