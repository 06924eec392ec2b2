import { extname, join } from 'node:path';
import type { Catalog, Derivative, DerivativeKind } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import type { JobContext, JobRecord } from '../../ports/job-queue.js';
import type { FolderLook } from '../../ports/looks.js';
import {
  type DerivativeFile,
  FILMSTRIP_SPRITE,
  type Filmstrip,
  type LookOptions,
  PROXY_KEYFRAME_SECONDS,
  type TechnicalMetadata,
  type Transcoder,
} from '../../ports/media.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { WorkDirs } from '../../ports/work-dirs.js';
import { effectiveLook, isVisible, lookVersion } from '../looks/effective-look.js';
import type { AssetProgress } from './asset-progress.js';
import { type DerivativeObjects, FILMSTRIP_SPRITE_NAME } from './derivative-objects.js';
import { heavyMedia } from './job-weight.js';
import { afterDerivativeDone, type DerivativeJob, LABEL, makes } from './processing-state.js';
import type { SequenceInput } from './sequence-input.js';
import { makeVideoSet, sequenceThumbnail, type VideoSetSource } from './video-set.js';

const PROXY_EXTENSION: Partial<Record<TechnicalMetadata['kind'], string>> = {
  video: '.mp4',
  audio: '.m4a',
  image: '.jpg',
};

interface Deps {
  catalog: Catalog;
  derived: ObjectStore;
  events: EventBus;
  clock: Clock;
  transcoder: Transcoder;
  workDirs: WorkDirs;
  progress: AssetProgress;
  objects: DerivativeObjects;
  sequences: SequenceInput;
}

/** `asset.thumbnail`, `asset.proxy`, `asset.filmstrip`, `asset.waveform`. */
export class DerivativeJobRunner {
  constructor(private readonly deps: Deps) {}

  async run(job: JobRecord<DerivativeJob>, context: JobContext, rounds = 0): Promise<void> {
    const { catalog, clock, progress, objects } = this.deps;
    const name = job.name as DerivativeJob;
    const loaded = await progress.load(job.data.assetId);
    if (!loaded) return;
    const { asset, folderPath } = loaded;
    const metadata = await catalog.processing.getMetadata(asset.id);
    // Not probed, or probed before the content changed: the coming probe plans this job again.
    if (!metadata || metadata.etag !== asset.etag) return;
    await catalog.processing.setTask(asset.id, name, 'running', null, clock.now());
    await progress.setState(asset, folderPath, { state: 'processing', currentJob: LABEL[name] });
    // This run's derivatives go beside the ones served now and replace them once it succeeded.
    const generation = objects.newGeneration();
    // Audio's thumbnail is its waveform drawn: no look applies.
    const look = metadata.record.kind === 'audio' ? null : await effectiveLook(catalog, folderPath);
    const written: Derivative[] = [];
    const keep = (made: Derivative) => {
      written.push(made);
    };
    try {
      await this.deps.workDirs.run(job.id, async (dir) => {
        const store = (kind: DerivativeKind, fileName: string, made: DerivativeFile & { body?: Buffer }) =>
          objects.store(asset.id, generation, kind, fileName, made).then(keep);
        const storeFilmstrip = async (strip: Filmstrip) => {
          await store('filmstrip', FILMSTRIP_SPRITE_NAME, strip.sprite);
          // The cues name the sprite as it is served, beside them.
          const cues = (await this.deps.workDirs.readText(strip.vtt.file)).replaceAll(
            `${FILMSTRIP_SPRITE}#`,
            `${FILMSTRIP_SPRITE_NAME}#`,
          );
          await store('filmstrip.vtt', 'filmstrip.vtt', { ...strip.vtt, body: Buffer.from(cues) });
        };
        // An image sequence's thumbnail is its middle frame, its proxy is made from every frame;
        // like a clip's, the proxy job makes all three through one video set (`video-set.ts`); a
        // thumbnail job still queued from before makes the thumbnail alone.
        const sequence =
          name === 'asset.thumbnail' || name === 'asset.proxy'
            ? await this.deps.sequences.load(asset.id)
            : null;
        const proxy = name === 'asset.filmstrip' ? await this.proxyFile(asset.id, dir, context.signal) : null;
        const original =
          proxy || sequence ? null : await progress.sourceFile(asset, folderPath, dir, context.signal, false);
        const file = proxy?.file ?? original?.file ?? '';
        const options = {
          source: { ...metadata.record, raw: metadata.raw },
          signal: context.signal,
          keyframeSeconds: proxy ? PROXY_KEYFRAME_SECONDS : undefined,
          // The filmstrip cut from the proxy already has the proxy's look.
          look: proxy || name === 'asset.waveform' ? undefined : await this.lookFor(look, asset.name, dir),
        };
        const from: VideoSetSource = sequence ? { sequence, asset, folderPath } : { original: file };
        const { transcoder } = this.deps;
        // With several audio tracks, each on its own too, so a player can choose or solo one.
        const storeAudioTracks = async (proxyFile: string) => {
          if (metadata.record.audio.length < 2 || metadata.record.kind === 'image') return;
          const tracks = await transcoder.audioTracks(proxyFile, dir, options);
          for (const [i, track] of tracks.entries())
            await store(`audio.${i + 1}`, `audio-${i + 1}.m4a`, track);
        };
        try {
          if (name === 'asset.proxy' && metadata.record.kind === 'video') {
            // One step for the proxy, the thumbnail and the filmstrip (one decode of an original).
            const set = await makeVideoSet(
              this.deps,
              from,
              dir,
              makes(name, options.source).includes('filmstrip'),
              options,
              this.proxyProgress(asset.id, folderPath, job, context),
            );
            // The original's copy is not needed for storing: another job may take its room.
            await original?.release();
            await store('proxy', 'proxy.mp4', set.proxy);
            await storeAudioTracks(set.proxy.file);
            await store('thumbnail', 'thumbnail.jpg', set.thumbnail);
            if (set.filmstrip) await storeFilmstrip(set.filmstrip);
          } else if (name === 'asset.thumbnail') {
            const made =
              'sequence' in from
                ? await sequenceThumbnail(this.deps, from, dir, options)
                : await transcoder.thumbnail(file, join(dir, 'thumbnail.jpg'), options);
            await store('thumbnail', 'thumbnail.jpg', made);
          } else if (name === 'asset.proxy') {
            const out = join(dir, `proxy${PROXY_EXTENSION[metadata.record.kind] ?? '.bin'}`);
            const made = await transcoder.proxy(
              file,
              out,
              options,
              this.proxyProgress(asset.id, folderPath, job, context),
            );
            await store('proxy', `proxy${extname(out)}`, made);
            await storeAudioTracks(out);
          } else if (name === 'asset.filmstrip') {
            await storeFilmstrip(await transcoder.filmstrip(file, join(dir, 'filmstrip'), options));
          } else {
            const made = await transcoder.waveform(file, join(dir, 'waveform.json'), options);
            await store('waveform', 'waveform.json', made);
          }
        } finally {
          // Released before the asset settles, so a finished asset leaves no copy behind.
          await original?.release();
        }
      });
      const after = await progress.load(asset.id);
      if (!after) {
        // Deleted for good while it ran: nothing may be left behind.
        await objects.discard(written);
        await catalog.processing.forget([asset.id]);
        return;
      }
      const now = await catalog.processing.getMetadata(asset.id);
      if (now?.etag !== metadata.etag) throw new Error('The file changed while this ran; running it again.');
      // Once switched, these are the asset's: nothing below may discard them.
      const madeKinds = written.map((d) => d.kind);
      await objects.switchTo(asset.id, written.splice(0));
      // Audio tracks an earlier proxy had and this one has not (the file changed).
      if (name === 'asset.proxy') await objects.deleteAudioTracksBut(asset.id, madeKinds);
      await catalog.processing.setTask(asset.id, name, 'done', null, clock.now());
      // The look changed while this ran: what it made has the old one. The queue would take a
      // new job with this one's key for this one, so this job runs again itself.
      if (
        metadata.record.kind !== 'audio' &&
        (name === 'asset.proxy' || name === 'asset.thumbnail') &&
        rounds < 3
      ) {
        const after = await effectiveLook(catalog, (await progress.load(asset.id))?.folderPath ?? folderPath);
        if (lookVersion(after) !== lookVersion(look)) return this.run(job, context, rounds + 1);
      }
      if (name === 'asset.proxy') {
        const tasks = (await catalog.processing.tasks(asset.id)).map((t) => t.job);
        for (const next of afterDerivativeDone(name, tasks))
          await progress.enqueue(next, asset.id, heavyMedia(metadata.record));
      }
      await progress.settle(asset.id, folderPath);
    } catch (error) {
      await objects.discard(written).catch(() => {});
      const final = await progress.attemptFailed(job, asset, folderPath, error, context);
      throw final ?? error;
    }
  }

  /**
   * The look as the transcoder applies it: the LUT written into the run's directory (the only
   * LUT path a filter ever names), the clip name to burn in. Null when nothing shows.
   */
  private async lookFor(
    look: (FolderLook & { from: string }) | null,
    assetName: string,
    dir: string,
  ): Promise<LookOptions | undefined> {
    if (!look || !isVisible(look)) return undefined;
    let lut: LookOptions['lut'] = null;
    if (look.lut) {
      const file = join(dir, 'look.cube');
      await this.deps.workDirs.writeText(file, look.lut.cube);
      lut = { file, dimensions: look.lut.dimensions };
    }
    return {
      lut,
      burnIn: {
        clipName: look.burnIn.clipName ? assetName : null,
        timecode: look.burnIn.timecode,
        frameCounter: look.burnIn.frameCounter,
      },
    };
  }

  /**
   * The proxy as a local file, for the filmstrip: its frames are the source's (same rate,
   * timestamps and aspect), and decoding 720p costs a fraction of a 1080p or 4K original.
   * Null when there is none (it failed, or an older plan), so the original is used.
   */
  private async proxyFile(
    assetId: string,
    dir: string,
    signal: AbortSignal,
  ): Promise<{ file: string } | null> {
    const { derived, catalog } = this.deps;
    const proxy = await catalog.processing.getDerivative(assetId, 'proxy');
    if (!proxy?.contentType.startsWith('video/')) return null;
    if (derived.localPath) return { file: derived.localPath(proxy.key) };
    const file = join(dir, 'proxy-source.mp4');
    await this.deps.workDirs.download(await derived.read(proxy.key), file, signal, false);
    return { file };
  }

  /** Progress to the queue (so `GET /api/jobs/:id` shows it) and to live clients, throttled. */
  private proxyProgress(assetId: string, folderPath: string, job: JobRecord, context: JobContext) {
    let last = 0;
    return (fraction: number) => {
      const done = Math.round(fraction * 1000);
      void context.progress(done, 1000).catch(() => {});
      const now = Date.now();
      if (now - last < 500 && done < 1000) return;
      last = now;
      this.deps.events.publish({
        type: 'job.progress',
        jobId: job.id,
        name: job.name,
        assetId,
        folderPath,
        done,
        total: 1000,
        state: 'running',
      });
    };
  }
}
