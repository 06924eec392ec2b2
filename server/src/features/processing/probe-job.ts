import { assetKey } from '../../lib/paths.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { JobContext, JobRecord } from '../../ports/job-queue.js';
import { MediaError, type MediaProbe } from '../../ports/media.js';
import type { WorkDirs } from '../../ports/work-dirs.js';
import { automaticLog } from '../logging/automatic-log.js';
import type { AssetProgress } from './asset-progress.js';
import { contentFormatOf } from './content-name.js';
import type { DerivativeObjects } from './derivative-objects.js';
import { heavyMedia } from './job-weight.js';
import { namedByKey } from './metadata-names.js';
import { afterProbe, summaryOf } from './processing-state.js';
import type { SequenceInput } from './sequence-input.js';
import { asSourceFailure } from './source-errors.js';

interface Deps {
  catalog: Catalog;
  clock: Clock;
  probe: MediaProbe;
  workDirs: WorkDirs;
  progress: AssetProgress;
  objects: DerivativeObjects;
  sequences: SequenceInput;
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
    // The name speaks before the probe: a camera original no tool reads (R3D, BRAW) is still logged.
    await catalog.logs.fillAutomatic(asset.id, automaticLog(asset.name), clock.now());
    try {
      await this.deps.workDirs.run(job.id, async (dir) => {
        const wantChecksums = !asset.checksumXxh64 || !asset.checksumMd5;
        // An image sequence is probed by its middle frame and described as a whole; its frames
        // keep their own sizes and ETags (sequence_frames), it has no one file to checksum.
        const sequence = await this.deps.sequences.load(asset.id);
        const { file, checksums, release } = sequence
          ? {
              file: await this.deps.sequences.frameFile(
                asset,
                folderPath,
                this.deps.sequences.middle(sequence.frames),
                dir,
                context.signal,
              ),
              checksums: null,
              release: async () => {},
            }
          : await progress.sourceFile(asset, folderPath, dir, context.signal, wantChecksums);
        const probed = await this.deps.probe.probe(file, context.signal).finally(release);
        const record = sequence ? this.deps.sequences.record(sequence, probed) : probed;
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
        await catalog.logs.fillAutomatic(asset.id, automaticLog(asset.name, record), clock.now());
        const outcome = afterProbe(asset.name, record);
        await catalog.processing.planTasks(asset.id, outcome.tasks, clock.now());
        await this.deps.objects.deleteKinds(asset.id, outcome.stale);
        if (record.audio.length < 2 || !outcome.tasks.includes('asset.proxy'))
          await this.deps.objects.deleteAudioTracksBut(asset.id, []);
        if (outcome.status.state !== 'processing') await progress.doneWith(asset.id);
        await catalog.assets.update(asset.id, {
          ...summaryOf(record),
          contentFormat: contentFormatOf(record),
          ...(checksums ? { checksumXxh64: checksums.xxh64, checksumMd5: checksums.md5 } : {}),
          ...outcome.status,
        });
        const heavy = heavyMedia(record);
        for (const name of outcome.start) await progress.enqueue(name, asset.id, heavy);
        progress.changed(asset.id, folderPath);
      });
    } catch (caught) {
      const error = asSourceFailure(caught);
      const last =
        (error instanceof MediaError && error.details.deterministic === true) ||
        job.attempts >= job.maxAttempts;
      const refused = error instanceof MediaError && error.details.refused === true;
      if (last && !refused && !context.signal.aborted)
        await this.keepFailure(asset, folderPath, error).catch(() => {});
      const final = await progress.attemptFailed(job, asset, folderPath, error, context);
      throw final ?? error;
    }
  }

  /**
   * A probe that failed for good keeps what the tools said, so `/metadata` shows the reason
   * (and `?raw=true` their output) instead of "not probed yet". The record is empty but for
   * the size and `probeFailure`; no derivative job is planned from it.
   */
  private async keepFailure(asset: Asset, folderPath: string, error: unknown): Promise<void> {
    const { catalog, clock } = this.deps;
    const current = await catalog.assets.get(asset.id);
    if (!current || current.etag !== asset.etag) return;
    const reason = (error as Error)?.message ?? String(error);
    const output = error instanceof MediaError ? error.details.output : undefined;
    await catalog.processing.saveMetadata({
      assetId: asset.id,
      etag: asset.etag,
      record: {
        kind: 'other',
        general: {
          format: null,
          formatProfile: null,
          durationSeconds: null,
          sizeBytes: asset.size,
          overallBitrate: null,
          startTimecode: null,
        },
        video: [],
        audio: [],
        image: null,
        probeFailure: reason,
      },
      raw: namedByKey(
        output ?? { ffprobe: { error: reason }, mediainfo: null },
        assetKey(folderPath, asset.name),
      ),
      probedAt: clock.now(),
    });
    await catalog.processing.planTasks(asset.id, [], clock.now());
    await catalog.assets.update(asset.id, { kind: 'other' });
  }
}
