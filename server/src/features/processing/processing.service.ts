import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AssetJobPayload } from '../../jobs/types.js';
import { ChecksumAccumulator, ChecksumStream, type Checksums } from '../../lib/checksums.js';
import { AppError, Conflict, NotFound } from '../../lib/errors.js';
import type { RequestedRange } from '../../lib/http-range.js';
import { assetKey, extensionOf } from '../../lib/paths.js';
import type { Asset, AssetState, Catalog, Derivative, DerivativeKind } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import {
  type EnqueueOptions,
  FinalJobError,
  type JobContext,
  type JobQueue,
  type JobRecord,
} from '../../ports/job-queue.js';
import {
  type DerivativeFile,
  FILMSTRIP_SPRITE,
  MediaError,
  type MediaProbe,
  PROXY_KEYFRAME_SECONDS,
  type TechnicalMetadata,
  type Transcoder,
} from '../../ports/media.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { loadVisibleAssets } from '../assets/asset-access.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ProcessingTrigger } from '../indexing/processing-trigger.js';

export const DERIVATIVE_JOBS = [
  'asset.thumbnail',
  'asset.proxy',
  'asset.filmstrip',
  'asset.waveform',
] as const;
export type DerivativeJob = (typeof DERIVATIVE_JOBS)[number];
type AssetJob = 'asset.probe' | DerivativeJob;

/** What `current_job` shows while a job runs. */
const LABEL: Record<AssetJob, string> = {
  'asset.probe': 'probe',
  'asset.thumbnail': 'thumbnail',
  'asset.proxy': 'proxy',
  'asset.filmstrip': 'filmstrip',
  'asset.waveform': 'waveform',
};

/** The derivatives each job makes; anything else an asset has is stale once it is re-planned. */
const MAKES: Record<DerivativeJob, DerivativeKind[]> = {
  'asset.thumbnail': ['thumbnail'],
  'asset.proxy': ['proxy'],
  'asset.filmstrip': ['filmstrip', 'filmstrip.vtt'],
  'asset.waveform': ['waveform'],
};

/** The sprite as the API serves it, beside the WebVTT that points at it. */
export const FILMSTRIP_SPRITE_NAME = 'filmstrip.jpg';

/**
 * Extensions that promise media: a file named like this that no tool can read is a failure to
 * show (a broken clip), not an `other` file that is simply ready.
 */
const MEDIA_EXTENSIONS = new Set(
  (
    'MOV MP4 M4V MXF AVI MKV WEBM MTS M2TS TS MPG MPEG R3D BRAW ARI CRM DV 3GP FLV WMV ' +
    'WAV MP3 AAC M4A AIF AIFF FLAC OGG OPUS BWF WMA ' +
    'PNG JPG JPEG TIF TIFF DPX EXR GIF BMP WEBP HEIC'
  ).split(' '),
);

interface Deps {
  catalog: Catalog;
  lake: ObjectStore;
  derived: ObjectStore;
  jobs: JobQueue;
  events: EventBus;
  clock: Clock;
  access: AccessPolicy;
  audit: AuditService;
  probe: MediaProbe;
  transcoder: Transcoder;
  /** Temporary files: S3 downloads, derivatives before they are stored. */
  workDir: string;
  /** Attempts per job before the asset is marked failed. */
  maxAttempts?: number;
}

export interface OpenedDerivative {
  stream: Readable;
  size: number;
  contentType: string;
  etag: string;
  /** The bytes sent, when a range was asked for. */
  range: { start: number; end: number } | null;
}

export interface MetadataView {
  assetId: string;
  probedAt: string;
  record: Omit<TechnicalMetadata, 'raw'>;
  raw?: TechnicalMetadata['raw'];
}

/**
 * Prepares every asset that enters the lake: probe (checksums, ffprobe + mediainfo), then one
 * job per derivative. Keeps the asset's state: `pending` → `processing` (with the job running)
 * → `ready`, or `failed` with the reason a person can act on.
 */
export class ProcessingService implements ProcessingTrigger {
  constructor(private readonly deps: Deps) {}

  private get maxAttempts(): number {
    return this.deps.maxAttempts ?? 3;
  }

  // ---- the trigger indexing calls -------------------------------------------------------

  async assetsIngested(assets: Asset[]): Promise<void> {
    await this.deps.jobs.enqueueMany(
      'asset.probe',
      assets.map((asset) => this.job('asset.probe', asset.id)),
    );
  }

  async assetsRemoved(assetIds: string[]): Promise<void> {
    const { catalog, derived } = this.deps;
    for (const id of assetIds) await derived.deletePrefix(`${id}/`);
    await catalog.processing.forget(assetIds);
  }

  // ---- what the API offers --------------------------------------------------------------

  /** Processes the asset again from the probe; refused while it is being processed. */
  async retry(actor: Actor, id: string): Promise<{ jobId: string }> {
    const { catalog, audit } = this.deps;
    const { asset, folderPath } = await this.visible(actor, id);
    if (asset.state === 'processing' && asset.currentJob !== null) {
      throw new Conflict(`"${asset.name}" is being processed (${asset.currentJob}); wait for it to finish.`);
    }
    await catalog.assets.update(id, { state: 'pending', stateReason: null, currentJob: null });
    const jobId = await this.enqueue('asset.probe', id);
    await audit.record(actor, 'asset.retry', { type: 'asset', id }, { name: asset.name, folder: folderPath });
    this.changed(id, folderPath);
    return { jobId };
  }

  async metadata(actor: Actor, id: string, options: { raw?: boolean } = {}): Promise<MetadataView> {
    const { asset, folderPath } = await this.visible(actor, id);
    const stored = await this.deps.catalog.processing.getMetadata(id);
    if (!stored) throw new NotFound('The asset has not been probed yet.');
    return {
      assetId: id,
      probedAt: new Date(stored.probedAt).toISOString(),
      record: stored.record,
      // Records probed before the tools were given neutral names held the server's path.
      ...(options.raw ? { raw: namedByKey(stored.raw, assetKey(folderPath, asset.name)) } : {}),
    };
  }

  /** A derivative's bytes, checked exactly like the asset: missing and forbidden are both NotFound. */
  async openDerivative(
    actor: Actor,
    id: string,
    kind: DerivativeKind,
    range?: RequestedRange | null,
  ): Promise<OpenedDerivative> {
    const { catalog, derived } = this.deps;
    await this.visible(actor, id);
    const derivative = await catalog.processing.getDerivative(id, kind);
    const object = derivative ? await derived.head(derivative.key) : null;
    if (!derivative || !object) throw new NotFound(`The asset has no ${kind.replace('.vtt', ' cues')} yet.`);
    if (range && range.start >= object.size) {
      throw new AppError(416, 'range_not_satisfiable', `The ${kind} has ${object.size} bytes.`);
    }
    const sent = range ? { start: range.start, end: Math.min(range.end, object.size - 1) } : null;
    return {
      stream: await derived.read(derivative.key, sent ?? undefined),
      size: object.size,
      contentType: derivative.contentType,
      etag: object.etag,
      range: sent,
    };
  }

  /** The derivative kinds each asset has, for asset views. */
  async derivativeKinds(assetIds: string[]): Promise<Map<string, DerivativeKind[]>> {
    const out = new Map<string, DerivativeKind[]>();
    for (const d of await this.deps.catalog.processing.derivatives(assetIds)) {
      out.set(d.assetId, [...(out.get(d.assetId) ?? []), d.kind]);
    }
    return out;
  }

  /** Removes work directories left by worker processes that died (SIGKILL, power loss). */
  async cleanWorkDir(): Promise<void> {
    const entries = await readdir(this.deps.workDir).catch(() => [] as string[]);
    for (const entry of entries) {
      const pid = Number(entry.split('-')[0]);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) {
        await rm(join(this.deps.workDir, entry), { recursive: true, force: true });
      }
    }
  }

  // ---- jobs -----------------------------------------------------------------------------

  /** `asset.probe`: checksums when missing, the media probe, then the plan of derivative jobs. */
  async runProbe(job: JobRecord<'asset.probe'>, context: JobContext): Promise<void> {
    const { catalog, clock } = this.deps;
    const loaded = await this.load(job.data.assetId);
    if (!loaded) return;
    const { asset, folderPath } = loaded;
    await this.setState(asset, folderPath, { state: 'processing', currentJob: 'probe', stateReason: null });
    try {
      await this.inWorkDir(job, async (dir) => {
        const wantChecksums = !asset.checksumXxh64 || !asset.checksumMd5;
        const { file, checksums } = await this.localFile(
          asset,
          folderPath,
          dir,
          context.signal,
          wantChecksums,
        );
        const record = await this.deps.probe.probe(file, context.signal);
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
        const plan = planFor(record);
        const unreadable = plan.length === 0 ? unreadableReason(asset, record) : null;
        await catalog.processing.planTasks(asset.id, unreadable ? [] : plan, clock.now());
        const keep = new Set(plan.flatMap((name) => MAKES[name]));
        await this.deleteDerivatives(
          asset.id,
          (['thumbnail', 'proxy', 'filmstrip', 'filmstrip.vtt', 'waveform'] as const).filter(
            (k) => !keep.has(k),
          ),
        );
        const state: AssetState = unreadable ? 'failed' : plan.length > 0 ? 'processing' : 'ready';
        await catalog.assets.update(asset.id, {
          ...summaryOf(record),
          ...(checksums ? { checksumXxh64: checksums.xxh64, checksumMd5: checksums.md5 } : {}),
          state,
          stateReason: unreadable,
          currentJob: null,
        });
        // The filmstrip is made from the proxy, so it waits for it (see `runDerivative`).
        for (const name of plan) {
          if (!unreadable && !(name === 'asset.filmstrip' && plan.includes('asset.proxy')))
            await this.enqueue(name, asset.id);
        }
        this.changed(asset.id, folderPath);
      });
    } catch (error) {
      const final = await this.attemptFailed(job, asset, folderPath, error, context);
      throw final ?? error;
    }
  }

  /** `asset.thumbnail`, `asset.proxy`, `asset.filmstrip`, `asset.waveform`. */
  async runDerivative(job: JobRecord<DerivativeJob>, context: JobContext): Promise<void> {
    const { catalog, clock } = this.deps;
    const name = job.name as DerivativeJob;
    const loaded = await this.load(job.data.assetId);
    if (!loaded) return;
    const { asset, folderPath } = loaded;
    const metadata = await catalog.processing.getMetadata(asset.id);
    // Not probed, or probed before the content changed: the coming probe plans this job again.
    if (!metadata || metadata.etag !== asset.etag) return;
    await catalog.processing.setTask(asset.id, name, 'running', null, clock.now());
    await this.setState(asset, folderPath, { state: 'processing', currentJob: LABEL[name] });
    // This run's derivatives go beside the ones served now and replace them once it succeeded.
    const generation = newGeneration();
    const written: Derivative[] = [];
    const keep = (made: Derivative) => {
      written.push(made);
    };
    try {
      await this.inWorkDir(job, async (dir) => {
        const proxy = name === 'asset.filmstrip' ? await this.proxyFile(asset.id, dir, context.signal) : null;
        const { file } = proxy ?? (await this.localFile(asset, folderPath, dir, context.signal, false));
        const options = {
          source: { ...metadata.record, raw: metadata.raw },
          signal: context.signal,
          keyframeSeconds: proxy ? PROXY_KEYFRAME_SECONDS : undefined,
        };
        const { transcoder } = this.deps;
        const store = (kind: DerivativeKind, fileName: string, made: DerivativeFile & { body?: Buffer }) =>
          this.store(asset.id, generation, kind, fileName, made).then(keep);
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
        } else if (name === 'asset.filmstrip') {
          const strip = await transcoder.filmstrip(file, join(dir, 'filmstrip'), options);
          await store('filmstrip', FILMSTRIP_SPRITE_NAME, strip.sprite);
          // The cues name the sprite as it is served, beside them.
          const cues = (await readFile(strip.vtt.file, 'utf8')).replaceAll(
            `${FILMSTRIP_SPRITE}#`,
            `${FILMSTRIP_SPRITE_NAME}#`,
          );
          await store('filmstrip.vtt', 'filmstrip.vtt', { ...strip.vtt, body: Buffer.from(cues) });
        } else {
          const made = await transcoder.waveform(file, join(dir, 'waveform.json'), options);
          await store('waveform', 'waveform.json', made);
        }
      });
      const after = await this.load(asset.id);
      if (!after) {
        // Deleted for good while it ran: nothing may be left behind.
        await this.discard(written);
        await catalog.processing.forget([asset.id]);
        return;
      }
      const now = await catalog.processing.getMetadata(asset.id);
      if (now?.etag !== metadata.etag) throw new Error('The file changed while this ran; running it again.');
      // Once switched, these are the asset's: nothing below may discard them.
      await this.switchTo(asset.id, written.splice(0));
      await catalog.processing.setTask(asset.id, name, 'done', null, clock.now());
      if (
        name === 'asset.proxy' &&
        (await catalog.processing.tasks(asset.id)).some((t) => t.job === 'asset.filmstrip')
      ) {
        await this.enqueue('asset.filmstrip', asset.id);
      }
      await this.settle(asset.id, folderPath);
    } catch (error) {
      await this.discard(written).catch(() => {});
      const final = await this.attemptFailed(job, asset, folderPath, error, context);
      throw final ?? error;
    }
  }

  // ---- inside ---------------------------------------------------------------------------

  private enqueue(name: AssetJob, assetId: string): Promise<string> {
    const { data, options } = this.job(name, assetId);
    return this.deps.jobs.enqueue(name, data, options);
  }

  /** One job per asset and kind at a time. */
  private job(name: AssetJob, assetId: string): { data: AssetJobPayload; options: EnqueueOptions } {
    return { data: { assetId }, options: { key: `${assetId}:${name}`, maxAttempts: this.maxAttempts } };
  }

  /** The asset and where it is, live or in the trash; null when deleted for good. */
  private async load(id: string): Promise<{ asset: Asset; folderPath: string } | null> {
    const { catalog } = this.deps;
    const asset = await catalog.assets.get(id);
    if (!asset) return null;
    if (asset.trashedAt !== null) return { asset, folderPath: asset.trashedFrom ?? '/' };
    const folder = await catalog.folders.getById(asset.folderId);
    return folder ? { asset, folderPath: folder.path } : null;
  }

  private async visible(actor: Actor, id: string): Promise<{ asset: Asset; folderPath: string }> {
    const { catalog, access } = this.deps;
    const live = await loadVisibleAssets(catalog, access, actor, [id], { require: false });
    const found =
      live.assets.length > 0
        ? live
        : await loadVisibleAssets(catalog, access, actor, [id], { require: true, trashed: true });
    const asset = found.assets[0];
    return { asset, folderPath: found.folderPaths.get(asset.folderId) ?? asset.trashedFrom ?? '/' };
  }

  /**
   * A file the tools can read: the lake's own file when it is a directory, else a download into
   * `dir` (checksummed as it arrives when asked).
   */
  private async localFile(
    asset: Asset,
    folderPath: string,
    dir: string,
    signal: AbortSignal,
    wantChecksums: boolean,
  ): Promise<{ file: string; checksums: Checksums | null }> {
    const { lake } = this.deps;
    const key = asset.trashKey ?? assetKey(folderPath, asset.name);
    if (lake.localPath) {
      const file = lake.localPath(key);
      if (!wantChecksums) return { file, checksums: null };
      const sum = new ChecksumAccumulator();
      for await (const chunk of createReadStream(file, { signal, highWaterMark: 1024 * 1024 }))
        sum.update(chunk);
      return { file, checksums: sum.digest() };
    }
    const file = join(dir, `source${extname(asset.name).slice(0, 16)}`);
    const hashing = new ChecksumStream();
    await pipeline(await lake.read(key), hashing, createWriteStream(file), { signal });
    return { file, checksums: wantChecksums ? hashing.checksums() : null };
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
    await pipeline(await derived.read(proxy.key), createWriteStream(file), { signal });
    return { file };
  }

  private async inWorkDir<T>(job: JobRecord, work: (dir: string) => Promise<T>): Promise<T> {
    const dir = join(this.deps.workDir, `${process.pid}-${job.id}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(join(dir, 'filmstrip'), { recursive: true });
    try {
      return await work(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Copies a finished file into the derived store under the asset's id and this run's
   * generation (`<id>/<generation>/<name>`): never where a served derivative, or one a killed
   * run left, already is. The store's writes are atomic; the row is written by `switchTo`.
   */
  private async store(
    assetId: string,
    generation: string,
    kind: DerivativeKind,
    name: string,
    made: DerivativeFile & { body?: Buffer },
  ): Promise<Derivative> {
    const { derived, clock } = this.deps;
    const key = `${assetId}/${generation}/${name}`;
    const body = made.body ?? createReadStream(made.file);
    const object = await derived.write(key, body, {
      contentType: made.contentType,
      size: made.body?.length ?? made.sizeBytes,
    });
    return { assetId, kind, key, contentType: made.contentType, size: object.size, createdAt: clock.now() };
  }

  /**
   * The asset's derivatives become this run's: each row now names the new object, then the
   * ones it replaced, and any a killed or failed run of the same kinds left, are deleted.
   */
  private async switchTo(assetId: string, made: Derivative[]): Promise<void> {
    const { catalog, derived } = this.deps;
    if (made.length === 0) return;
    const before = await catalog.processing.derivatives([assetId]);
    for (const derivative of made) await catalog.processing.putDerivative(derivative);
    const kinds = new Set(made.map((d) => d.kind));
    const current = new Set((await catalog.processing.derivatives([assetId])).map((d) => d.key));
    const stale = new Set(before.filter((d) => kinds.has(d.kind) && !current.has(d.key)).map((d) => d.key));
    // Objects of these kinds no row names: written by a run that died before its switch.
    for await (const object of derived.listAll(`${assetId}/`)) {
      const kind = kindOfName(object.key.slice(object.key.lastIndexOf('/') + 1));
      if (kind && kinds.has(kind) && !current.has(object.key)) stale.add(object.key);
    }
    for (const key of stale) await derived.delete(key);
    // Their generation's folder, once empty (a directory on an fs store; nothing on S3).
    const folders = new Set([...stale].map((key) => key.slice(0, key.lastIndexOf('/'))));
    for (const folder of folders) {
      if (folder !== assetId) await derived.deleteFolder(folder).catch(() => {});
    }
  }

  /** This run's objects, when it does not switch to them. */
  private async discard(made: Derivative[]): Promise<void> {
    for (const derivative of made.splice(0)) await this.deps.derived.delete(derivative.key);
  }

  private async deleteDerivatives(assetId: string, kinds: DerivativeKind[]): Promise<void> {
    const { catalog, derived } = this.deps;
    const existing = (await catalog.processing.derivatives([assetId])).filter((d) => kinds.includes(d.kind));
    if (existing.length === 0) return;
    await catalog.processing.deleteDerivatives(
      assetId,
      existing.map((d) => d.kind),
    );
    for (const d of existing) await derived.delete(d.key);
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

  /**
   * A job attempt failed. On the last attempt, or when the same file would fail the same way
   * again (a tool read it and said no), the asset shows the reason and the job ends — the
   * FinalJobError returned tells the queue so. Before that, the reason says another attempt
   * follows. A stop (shutdown) is no failure at all.
   */
  private async attemptFailed(
    job: JobRecord,
    asset: Asset,
    folderPath: string,
    error: unknown,
    context: JobContext,
  ): Promise<FinalJobError | null> {
    if (context.signal.aborted) return null;
    const { catalog, clock } = this.deps;
    const label = LABEL[job.name as AssetJob];
    const message = (error as Error)?.message ?? String(error);
    const reason = `${capitalise(label)}: ${message}`;
    const deterministic = error instanceof MediaError && error.details.deterministic === true;
    const last = deterministic || job.attempts >= job.maxAttempts;
    const final = deterministic ? new FinalJobError(message, { cause: error }) : null;
    if (!(await catalog.assets.get(asset.id))) return final;
    if (job.name === 'asset.probe') {
      await this.setState(asset, folderPath, {
        state: last ? 'failed' : 'processing',
        currentJob: last ? null : 'probe',
        stateReason: last
          ? reason
          : `${reason} (attempt ${job.attempts} of ${job.maxAttempts}; trying again)`,
      });
      return final;
    }
    await catalog.processing.setTask(asset.id, job.name, last ? 'failed' : 'queued', reason, clock.now());
    await this.settle(asset.id, folderPath);
    return final;
  }

  /**
   * The asset's state from its tasks. Each job records its own task before settling, and a
   * settle that wrote a stale state sees the newer tasks when it checks again, so the last
   * word is always the true one without locking rows (which SQLite cannot).
   */
  private async settle(assetId: string, folderPath: string): Promise<void> {
    const { catalog } = this.deps;
    for (let round = 0; round < 5; round++) {
      const asset = await catalog.assets.get(assetId);
      if (!asset) return;
      const wanted = stateFromTasks(await catalog.processing.tasks(assetId));
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

  private async setState(
    asset: Asset,
    folderPath: string,
    patch: Partial<Pick<Asset, 'state' | 'currentJob' | 'stateReason'>>,
  ): Promise<void> {
    await this.deps.catalog.assets.update(asset.id, patch);
    this.changed(asset.id, folderPath);
  }

  private changed(assetId: string, folderPath: string): void {
    this.deps.events.publish({ type: 'asset.changed', assetId, folderPath });
  }
}

const PROXY_EXTENSION: Partial<Record<TechnicalMetadata['kind'], string>> = {
  video: '.mp4',
  audio: '.m4a',
  image: '.jpg',
};

/** The derivative jobs that fit what the probe found. */
export function planFor(record: TechnicalMetadata): DerivativeJob[] {
  const duration = record.general.durationSeconds ?? record.video[0]?.durationSeconds ?? 0;
  switch (record.kind) {
    case 'video':
      return [
        'asset.thumbnail',
        'asset.proxy',
        ...(duration > 0 ? (['asset.filmstrip'] as const) : []),
        ...(record.audio.length > 0 ? (['asset.waveform'] as const) : []),
      ];
    case 'audio':
      return ['asset.thumbnail', 'asset.proxy', 'asset.waveform'];
    case 'image':
      return ['asset.thumbnail', 'asset.proxy'];
    default:
      return [];
  }
}

/** Why a file named like media is not `other` but broken; null for a plain `other` file. */
function unreadableReason(asset: Asset, record: TechnicalMetadata): string | null {
  const extension = extensionOf(asset.name);
  if (!MEDIA_EXTENSIONS.has(extension)) return null;
  if (record.general.sizeBytes === 0)
    return `Probe: the file is empty, so this .${extension.toLowerCase()} holds no media.`;
  return `Probe: the file is named .${extension.toLowerCase()} but no video, audio or picture could be read from it; it may be damaged or not media at all.`;
}

/**
 * The columns the list and search show. `format` stays the file's format by name (MOV, MXF), as
 * MAPS shows it and as search filters it; the container as the tools read it is in the metadata.
 */
function summaryOf(record: TechnicalMetadata): Partial<Asset> {
  const video = record.video[0];
  return {
    kind: record.kind,
    duration: record.kind === 'image' ? null : (record.general.durationSeconds ?? null),
    width: video?.width ?? record.image?.width ?? null,
    height: video?.height ?? record.image?.height ?? null,
    frameRate: video?.frameRate ?? null,
    videoCodec: video?.codec ?? null,
    audioCodec: record.audio[0]?.codec ?? null,
    audioTracks: record.kind === 'video' || record.kind === 'audio' ? record.audio.length : null,
  };
}

function stateFromTasks(
  tasks: Array<{ job: string; state: string; error: string | null }>,
): Pick<Asset, 'state' | 'currentJob' | 'stateReason'> {
  const failed = tasks.find((t) => t.state === 'failed');
  const running = tasks.find((t) => t.state === 'running');
  const open = tasks.some((t) => t.state === 'queued' || t.state === 'running');
  if (failed) return { state: 'failed', currentJob: null, stateReason: failed.error };
  if (!open) return { state: 'ready', currentJob: null, stateReason: null };
  const retrying = tasks.find((t) => t.error !== null);
  return {
    state: 'processing',
    currentJob: running ? LABEL[running.job as AssetJob] : null,
    stateReason: retrying ? `${retrying.error} (trying again)` : null,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A new generation name: sorts by time, unique across workers. */
function newGeneration(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** Which derivative an object of the derived store is, by its file name. */
function kindOfName(name: string): DerivativeKind | null {
  if (name === 'thumbnail.jpg') return 'thumbnail';
  if (name.startsWith('proxy.')) return 'proxy';
  if (name === FILMSTRIP_SPRITE_NAME) return 'filmstrip';
  if (name === 'filmstrip.vtt') return 'filmstrip.vtt';
  if (name === 'waveform.json') return 'waveform';
  return null;
}

/**
 * The tools' output names the file by its lake key: never a server path (the lake's or the
 * work directory's), nor the sandbox's name for it.
 */
function namedByKey(raw: TechnicalMetadata['raw'], key: string): TechnicalMetadata['raw'] {
  const ffprobe = raw.ffprobe as { format?: Record<string, unknown> } | null;
  const mediainfo = raw.mediainfo as { media?: Record<string, unknown> | null } | null;
  return {
    ffprobe: ffprobe?.format ? { ...ffprobe, format: { ...ffprobe.format, filename: key } } : raw.ffprobe,
    mediainfo: mediainfo?.media
      ? { ...mediainfo, media: { ...mediainfo.media, '@ref': key } }
      : raw.mediainfo,
  };
}
