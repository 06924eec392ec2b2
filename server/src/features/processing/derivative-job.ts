import { extname, join } from 'node:path';
import type { Catalog, Derivative, DerivativeKind } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import type { JobContext, JobRecord } from '../../ports/job-queue.js';
import {
  type DerivativeFile,
  FILMSTRIP_SPRITE,
  type Filmstrip,
  PROXY_KEYFRAME_SECONDS,
  type TechnicalMetadata,
  type Transcoder,
} from '../../ports/media.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { WorkDirs } from '../../ports/work-dirs.js';
import type { AssetProgress } from './asset-progress.js';
import { type DerivativeObjects, FILMSTRIP_SPRITE_NAME } from './derivative-objects.js';
import { afterDerivativeDone, type DerivativeJob, LABEL, makes } from './processing-state.js';

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
        const proxy = name === 'asset.filmstrip' ? await this.proxyFile(asset.id, dir, context.signal) : null;
        const original = proxy
          ? null
          : await progress.sourceFile(asset, folderPath, dir, context.signal, false);
        const file = proxy?.file ?? original?.file ?? '';
        const options = {
          source: { ...metadata.record, raw: metadata.raw },
          signal: context.signal,
          keyframeSeconds: proxy ? PROXY_KEYFRAME_SECONDS : undefined,
        };
        const { transcoder } = this.deps;
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
        try {
          if (name === 'asset.proxy' && metadata.record.kind === 'video') {
            // One decode of the original for the proxy, the thumbnail and the filmstrip.
            const kinds = makes(name, options.source);
            const set = await transcoder.videoSet(
              file,
              {
                proxy: join(dir, 'proxy.mp4'),
                thumbnail: join(dir, 'thumbnail.jpg'),
                filmstripDir: kinds.includes('filmstrip') ? join(dir, 'filmstrip') : null,
              },
              options,
              this.proxyProgress(asset.id, folderPath, job, context),
            );
            // The original's copy is not needed for storing: another job may take its room.
            await original?.release();
            await store('proxy', 'proxy.mp4', set.proxy);
            await store('thumbnail', 'thumbnail.jpg', set.thumbnail);
            if (set.filmstrip) await storeFilmstrip(set.filmstrip);
          } else if (name === 'asset.thumbnail') {
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
      await objects.switchTo(asset.id, written.splice(0));
      await catalog.processing.setTask(asset.id, name, 'done', null, clock.now());
      if (name === 'asset.proxy') {
        const tasks = (await catalog.processing.tasks(asset.id)).map((t) => t.job);
        for (const next of afterDerivativeDone(name, tasks)) await progress.enqueue(next, asset.id);
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
