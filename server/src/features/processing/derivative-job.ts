import { extname, join } from 'node:path';
import type { Catalog, Derivative, DerivativeKind } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import type { JobContext, JobRecord } from '../../ports/job-queue.js';
import {
  type DerivativeFile,
  FILMSTRIP_SPRITE,
  PROXY_KEYFRAME_SECONDS,
  type TechnicalMetadata,
  type Transcoder,
} from '../../ports/media.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { WorkDirs } from '../../ports/work-dirs.js';
import type { AssetProgress } from './asset-progress.js';
import { type DerivativeObjects, FILMSTRIP_SPRITE_NAME } from './derivative-objects.js';
import { heavyMedia } from './job-weight.js';
import { afterDerivativeDone, type DerivativeJob, LABEL } from './processing-state.js';
import type { SequenceInput } from './sequence-input.js';

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

  async run(job: JobRecord<DerivativeJob>, context: JobContext): Promise<void> {
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
    const written: Derivative[] = [];
    const keep = (made: Derivative) => {
      written.push(made);
    };
    try {
      await this.deps.workDirs.run(job.id, async (dir) => {
        const store = (kind: DerivativeKind, fileName: string, made: DerivativeFile & { body?: Buffer }) =>
          objects.store(asset.id, generation, kind, fileName, made).then(keep);
        // An image sequence's thumbnail is its middle frame, its proxy is made from every frame;
        // its filmstrip is cut from that proxy as any video's.
        const sequence =
          name === 'asset.thumbnail' || name === 'asset.proxy'
            ? await this.deps.sequences.load(asset.id)
            : null;
        if (sequence) {
          const { sequences, transcoder } = this.deps;
          const source = { ...metadata.record, raw: metadata.raw };
          if (name === 'asset.thumbnail') {
            const middle = sequences.middle(sequence.frames);
            const file = await sequences.frameFile(asset, folderPath, middle, dir, context.signal);
            const made = await transcoder.thumbnail(file, join(dir, 'thumbnail.jpg'), {
              source: sequences.frameRecord(source),
              signal: context.signal,
            });
            await store('thumbnail', 'thumbnail.jpg', made);
          } else {
            const frames = await sequences.stage(asset, folderPath, sequence, dir, context.signal);
            const made = await transcoder.sequenceProxy(
              frames,
              join(dir, 'proxy.mp4'),
              { source, signal: context.signal },
              this.proxyProgress(asset.id, folderPath, job, context),
            );
            await store('proxy', 'proxy.mp4', made);
          }
          return;
        }
        const proxy = name === 'asset.filmstrip' ? await this.proxyFile(asset.id, dir, context.signal) : null;
        const { file } = proxy ?? (await progress.sourceFile(asset, folderPath, dir, context.signal, false));
        const options = {
          source: { ...metadata.record, raw: metadata.raw },
          signal: context.signal,
          keyframeSeconds: proxy ? PROXY_KEYFRAME_SECONDS : undefined,
        };
        const { transcoder } = this.deps;
        if (name === 'asset.thumbnail') {
          const made = await transcoder.thumbnail(file, join(dir, 'thumbnail.jpg'), options);
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
          // With several audio tracks, each on its own too, so a player can choose or solo one.
          if (metadata.record.audio.length > 1 && metadata.record.kind !== 'image') {
            const tracks = await transcoder.audioTracks(out, dir, options);
            for (const [i, track] of tracks.entries())
              await store(`audio.${i + 1}`, `audio-${i + 1}.m4a`, track);
          }
        } else if (name === 'asset.filmstrip') {
          const strip = await transcoder.filmstrip(file, join(dir, 'filmstrip'), options);
          await store('filmstrip', FILMSTRIP_SPRITE_NAME, strip.sprite);
          // The cues name the sprite as it is served, beside them.
          const cues = (await this.deps.workDirs.readText(strip.vtt.file)).replaceAll(
            `${FILMSTRIP_SPRITE}#`,
            `${FILMSTRIP_SPRITE_NAME}#`,
          );
          await store('filmstrip.vtt', 'filmstrip.vtt', { ...strip.vtt, body: Buffer.from(cues) });
        } else {
          const made = await transcoder.waveform(file, join(dir, 'waveform.json'), options);
          await store('waveform', 'waveform.json', made);
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
