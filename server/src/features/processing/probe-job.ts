import { assetKey } from '../../lib/paths.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { JobContext, JobRecord } from '../../ports/job-queue.js';
import type { MediaProbe } from '../../ports/media.js';
import type { WorkDirs } from '../../ports/work-dirs.js';
import type { AssetProgress } from './asset-progress.js';
import type { DerivativeObjects } from './derivative-objects.js';
import { namedByKey } from './metadata-names.js';
import { afterProbe, summaryOf } from './processing-state.js';

interface Deps {
  catalog: Catalog;
  clock: Clock;
  probe: MediaProbe;
  workDirs: WorkDirs;
  progress: AssetProgress;
  objects: DerivativeObjects;
}

/** `asset.probe`: checksums when missing, the media probe, then the plan of derivative jobs. */
export class ProbeJob {
  constructor(private readonly deps: Deps) {}

  async run(job: JobRecord<'asset.probe'>, context: JobContext): Promise<void> {
    const { catalog, clock, progress } = this.deps;
    const loaded = await progress.load(job.data.assetId);
    if (!loaded) return;
    const { asset, folderPath } = loaded;
    await progress.setState(asset, folderPath, {
      state: 'processing',
      currentJob: 'probe',
      stateReason: null,
    });
    try {
      await this.deps.workDirs.run(job.id, async (dir) => {
        const wantChecksums = !asset.checksumXxh64 || !asset.checksumMd5;
        const { file, checksums, release } = await progress.sourceFile(
          asset,
          folderPath,
          dir,
          context.signal,
          wantChecksums,
        );
        const record = await this.deps.probe.probe(file, context.signal).finally(release);
        const current = await catalog.assets.get(asset.id);
        if (!current) return;
        if (current.etag !== asset.etag)
          throw new Error('The file changed while it was probed; probing it again.');
        const { raw, ...normalised } = record;
        await catalog.processing.saveMetadata({
          assetId: asset.id,
          etag: asset.etag,
          record: normalised,
          raw: namedByKey(raw, assetKey(folderPath, asset.name)),
          probedAt: clock.now(),
        });
        const outcome = afterProbe(asset.name, record);
        await catalog.processing.planTasks(asset.id, outcome.tasks, clock.now());
        await this.deps.objects.deleteKinds(asset.id, outcome.stale);
        if (outcome.status.state !== 'processing') await progress.doneWith(asset.id);
        await catalog.assets.update(asset.id, {
          ...summaryOf(record),
          ...(checksums ? { checksumXxh64: checksums.xxh64, checksumMd5: checksums.md5 } : {}),
          ...outcome.status,
        });
        for (const name of outcome.start) await progress.enqueue(name, asset.id);
        progress.changed(asset.id, folderPath);
      });
    } catch (error) {
      const final = await progress.attemptFailed(job, asset, folderPath, error, context);
      throw final ?? error;
    }
  }
}
