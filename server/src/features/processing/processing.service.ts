import type { Readable } from 'node:stream';
import { Conflict, NotFound } from '../../lib/errors.js';
import { satisfiableRange } from '../../lib/http-range.js';
import { assetKey } from '../../lib/paths.js';
import type { Asset, Catalog, DerivativeKind } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import type { JobContext, JobQueue, JobRecord } from '../../ports/job-queue.js';
import type { MediaProbe, TechnicalMetadata, Transcoder } from '../../ports/media.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { WorkDirs } from '../../ports/work-dirs.js';
import type { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { loadVisibleAssets } from '../assets/asset-access.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ProcessingTrigger } from '../indexing/processing-trigger.js';
import { AssetProgress } from './asset-progress.js';
import { DerivativeJobRunner } from './derivative-job.js';
import { DerivativeObjects } from './derivative-objects.js';
import { namedByKey } from './metadata-names.js';
import { ProbeJob } from './probe-job.js';
import type { DerivativeJob } from './processing-state.js';
import { SequenceInput } from './sequence-input.js';

export { FILMSTRIP_SPRITE_NAME } from './derivative-objects.js';
export { DERIVATIVE_JOBS, type DerivativeJob, planFor } from './processing-state.js';

/** The jobs whose pictures a look changes. */
const LOOK_JOBS: DerivativeJob[] = ['asset.thumbnail', 'asset.proxy'];

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
  workDirs: WorkDirs;
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
 * → `ready`, or `failed` with the reason a person can act on. This file is what the API and
 * indexing call; the jobs run in `probe-job.ts` and `derivative-job.ts`, which write the states
 * the pure `processing-state.ts` decides.
 */
export class ProcessingService implements ProcessingTrigger {
  private readonly progress: AssetProgress;
  private readonly probeJob: ProbeJob;
  private readonly derivativeJob: DerivativeJobRunner;

  constructor(private readonly deps: Deps) {
    this.progress = new AssetProgress(deps);
    const shared = {
      ...deps,
      progress: this.progress,
      objects: new DerivativeObjects(deps),
      sequences: new SequenceInput(deps),
    };
    this.probeJob = new ProbeJob(shared);
    this.derivativeJob = new DerivativeJobRunner(shared);
  }

  // ---- the trigger indexing calls -------------------------------------------------------

  async assetsIngested(assets: Asset[]): Promise<void> {
    await this.deps.jobs.enqueueMany(
      'asset.probe',
      assets.map((asset) => this.progress.job('asset.probe', asset.id)),
    );
  }

  async assetsRemoved(assetIds: string[]): Promise<void> {
    const { catalog, derived } = this.deps;
    for (const id of assetIds) {
      await derived.deletePrefix(`${id}/`);
      await this.progress.doneWith(id);
    }
    await catalog.processing.forget(assetIds);
    await catalog.logs.forget(assetIds);
    await catalog.notes.forget(assetIds);
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
    const jobId = await this.progress.enqueue('asset.probe', id);
    await audit.record(actor, 'asset.retry', { type: 'asset', id }, { name: asset.name, folder: folderPath });
    this.progress.changed(id, folderPath);
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
    rangeHeader?: string,
  ): Promise<OpenedDerivative> {
    const { catalog, derived } = this.deps;
    await this.visible(actor, id);
    const derivative = await catalog.processing.getDerivative(id, kind);
    const object = derivative ? await derived.head(derivative.key) : null;
    if (!derivative || !object) throw new NotFound(`The asset has no ${kind.replace('.vtt', ' cues')} yet.`);
    const sent = satisfiableRange(rangeHeader, object.size, kind);
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

  /**
   * A folder's look changed: the proxies and thumbnails of these assets are made again (a
   * video's one proxy job makes all three of its pictures). Assets not probed yet, or with
   * nothing a look changes (audio, other files), are left alone; the probe's plan uses the
   * look of its day. Returns how many assets were queued.
   */
  async remakeForLook(assets: Asset[]): Promise<number> {
    const { catalog, clock } = this.deps;
    let queued = 0;
    for (const asset of assets) {
      if ((asset.kind !== 'video' && asset.kind !== 'image') || asset.trashedAt !== null) continue;
      const planned = (await catalog.processing.tasks(asset.id)).map((t) => t.job);
      const jobs = LOOK_JOBS.filter((job) => planned.includes(job));
      if (jobs.length === 0) continue;
      for (const job of jobs) await catalog.processing.setTask(asset.id, job, 'queued', null, clock.now());
      const loaded = await this.progress.load(asset.id);
      if (!loaded) continue;
      await this.progress.setState(asset, loaded.folderPath, { state: 'processing', stateReason: null });
      for (const job of jobs) await this.progress.enqueue(job, asset.id);
      queued++;
    }
    return queued;
  }

  /** Removes work directories left by worker processes that died (SIGKILL, power loss). */
  cleanWorkDir(): Promise<void> {
    return this.deps.workDirs.cleanDead();
  }

  // ---- jobs -----------------------------------------------------------------------------

  runProbe(job: JobRecord<'asset.probe'>, context: JobContext): Promise<void> {
    return this.probeJob.run(job, context);
  }

  runDerivative(job: JobRecord<DerivativeJob>, context: JobContext): Promise<void> {
    return this.derivativeJob.run(job, context);
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
}
