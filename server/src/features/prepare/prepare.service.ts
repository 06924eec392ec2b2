import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Conflict, Invalid, NotFound } from '../../lib/errors.js';
import { assetKey, normalizeFolderPath, parentPath, validateName } from '../../lib/paths.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { ClusterLock } from '../../ports/cluster-lock.js';
import type { EventBus } from '../../ports/events.js';
import { FinalJobError, type JobContext, type JobQueue, type JobRecord } from '../../ports/job-queue.js';
import type { Volume } from '../../ports/volume.js';
import type { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { type ActorLookup, jobActor, requestedBy } from '../access/job-actor.js';
import { loadVisibleAssets } from '../assets/asset-access.js';
import type { AuditService } from '../audit/audit.service.js';
import type { BinSource, BinsService } from '../bins/bins.service.js';
import type { MhlService } from '../mhl/mhl.service.js';
import { writeVolumeFile } from '../mhl/volume-writes.js';
import type { QueuedJobs, VolumesService } from '../volumes/volumes.service.js';

interface Deps {
  catalog: Catalog;
  access: AccessPolicy;
  audit: AuditService;
  events: EventBus;
  jobs: JobQueue;
  volumes: Pick<VolumesService, 'opened' | 'requestFolderCopy' | 'requestCopy'>;
  mhl: Pick<MhlService, 'sealVolume' | 'sealVolumeFolders'>;
  clock: Clock;
  bins: Pick<BinsService, 'build'>;
  /** Who asked, as they are when the job runs. */
  actorOf: ActorLookup;
  /** How long the job waits between looks at an unfinished copy (tests shorten it). */
  pollMs?: number;
  /**
   * Shared by every server. The queue merges jobs of one key only while one is waiting, or only
   * while one runs, not across the step between: a second request that looked while the first
   * job was being queued, and queued its own once a worker had taken the first, made two jobs.
   */
  lock?: ClusterLock;
}

export interface PrepareRequest extends QueuedJobs {
  /** The job that seals and writes the bins once every copy has finished; follow it at /api/jobs/:id. */
  jobId: string;
}

export interface PrepareSelectionRequest extends PrepareRequest {
  /** Where the bins will be, from the volume's root. */
  bins: string[];
}

const BIN_FORMATS = ['ale', 'fcpxml'] as const;

/**
 * "Prepare for edit": one action that hands a folder to the editors. The folder (with the
 * subfolders the caller may see) is copied to the volume through the verified folder copy;
 * a `volume.prepare` job waits for those copies, then writes the volume's ASC MHL generation
 * and the ALE and FCPXML bins beside the copied folder, audits it and tells those who may see
 * the folder. Whatever the caller may not see is neither copied nor listed in the bins.
 *
 * A selection (assets from any folders) goes the same way through the verified copy of assets;
 * its bins are named by the caller (or "Selection <date time UTC>") and written at the volume's
 * root, where the selection's media paths start, never over a file already there.
 */
export class PrepareService {
  constructor(private readonly deps: Deps) {}

  async request(actor: Actor, volumeId: string, folderPath: string): Promise<PrepareRequest> {
    const { access, jobs, volumes } = this.deps;
    volumes.opened(actor, volumeId);
    const folder = await access.requireFolder(actor, normalizeFolderPath(folderPath));
    const copies = await volumes.requestFolderCopy(actor, volumeId, folder.path);
    if (copies.jobs.length === 0) throw new Invalid(`"${folder.path}" holds nothing to copy to the volume.`);
    // A second request while one waits gets that one: its copies are the same deduplicated jobs.
    const key = `${folder.id}:${volumeId}:prepare`;
    const jobId = await this.queueOnce(key, () =>
      jobs.enqueue(
        'volume.prepare',
        { ...requestedBy(actor), volumeId, folderId: folder.id, copyJobIds: copies.jobs.map((j) => j.jobId) },
        { key, maxAttempts: 3 },
      ),
    );
    return { jobId, jobs: copies.jobs };
  }

  /**
   * Prepares chosen assets, from any folders. Every id must be one the caller may see (a hidden
   * one and a missing one are the same 404); duplicates count once.
   */
  async requestSelection(
    actor: Actor,
    volumeId: string,
    ids: string[],
    name?: string,
  ): Promise<PrepareSelectionRequest> {
    const { catalog, access, jobs, volumes } = this.deps;
    const { volume } = volumes.opened(actor, volumeId);
    if (ids.length === 0) throw new Invalid('Choose at least one asset to prepare.');
    const binName =
      name === undefined ? defaultBinName(this.deps.clock.now()) : validateName(name, 'bin name');
    await loadVisibleAssets(catalog, access, actor, ids);
    const bins = BIN_FORMATS.map((format) => `${binName}.${format}`);
    // Bins beside an editor's own files: a name in use is refused, never written over.
    for (const bin of bins)
      if (await volume.stat(bin))
        throw new Conflict(`"${bin}" is already on the volume; choose another name for the bins.`);
    const copies = await volumes.requestCopy(actor, volumeId, ids);
    const assetIds = copies.jobs.map((j) => j.assetId);
    const key = createHash('sha256')
      .update(JSON.stringify([volumeId, binName, [...assetIds].sort()]))
      .digest('hex')
      .slice(0, 32);
    const jobKey = `${key}:prepare`;
    const jobId = await this.queueOnce(jobKey, () =>
      jobs.enqueue(
        'volume.prepare',
        { ...requestedBy(actor), volumeId, assetIds, binName, copyJobIds: copies.jobs.map((j) => j.jobId) },
        { key: jobKey, maxAttempts: 3 },
      ),
    );
    return { jobId, jobs: copies.jobs, bins };
  }

  /** Queues the job of `key` with no other request for the same key in between (see Deps.lock). */
  private queueOnce(key: string, enqueue: () => Promise<string>): Promise<string> {
    return this.deps.lock ? this.deps.lock.run(`prepare:${key}`, enqueue) : enqueue();
  }

  /** The `volume.prepare` job. */
  async run(job: JobRecord<'volume.prepare'>, context: JobContext): Promise<void> {
    const { copyJobIds } = job.data;
    // It writes with the asker's rights: an account gone or taken out of the groups stops it.
    const actor = await jobActor(job.data, this.deps.actorOf, true);
    const failed = await this.waitForCopies(copyJobIds, context);
    if (failed > 0)
      throw new FinalJobError(
        `${failed} of ${copyJobIds.length} copies failed; the bins were not written and the ${'folderId' in job.data ? 'folder' : 'selection'} was not announced as prepared. Prepare again once the copies succeed.`,
      );
    if ('folderId' in job.data)
      await this.prepareFolder(actor, job.id, job.data.volumeId, job.data.folderId, copyJobIds.length);
    else
      await this.prepareSelection(
        actor,
        job.id,
        job.data.volumeId,
        job.data.assetIds,
        job.data.binName,
        copyJobIds.length,
      );
  }

  private async prepareFolder(
    actor: Actor,
    jobId: string,
    volumeId: string,
    folderId: string,
    copies: number,
  ): Promise<void> {
    const { catalog, access, volumes } = this.deps;
    const found = await catalog.folders.getById(folderId);
    if (!found) throw new FinalJobError('The folder no longer exists; nothing was written.');
    const folder = await access.requireFolder(actor, found.path);
    const { volume, name } = volumes.opened(actor, volumeId);
    const generation = await this.deps.mhl.sealVolume(actor, volumeId, folder.path);
    // Beside the copied folder, so the media paths inside (relative to the folder's parent) resolve.
    const besideFolder = parentPath(folder.path) ?? '/';
    // Bins are Dailies' own files: a second preparation replaces them with the current logging.
    const { written, clips } = await this.writeBins(
      actor,
      volume,
      { folder: folder.path, recursive: true, media: true },
      besideFolder,
      true,
    );
    await this.deps.audit.record(
      actor,
      'volume.prepare',
      { type: 'folder', id: folder.id },
      {
        volume: volumeId,
        volumeName: name,
        path: folder.path,
        copies,
        clips,
        mhl: generation?.written ?? null,
        ...written,
      },
    );
    this.deps.events.publish({ type: 'volume.prepared', volumeId, folderPath: folder.path, jobId });
  }

  private async prepareSelection(
    actor: Actor,
    jobId: string,
    volumeId: string,
    assetIds: string[],
    binName: string,
    copies: number,
  ): Promise<void> {
    const { catalog, access, volumes } = this.deps;
    // What the asker still sees: an asset trashed or hidden since is left out, not named.
    const { assets, folderPaths } = await loadVisibleAssets(catalog, access, actor, assetIds, {
      require: false,
    });
    if (assets.length === 0)
      throw new NotFound('None of the selected assets is there any more; nothing was written.');
    const { volume, name } = volumes.opened(actor, volumeId);
    const folders = [...new Set(assets.map((a) => folderPaths.get(a.folderId)!))].sort();
    const generations = await this.deps.mhl.sealVolumeFolders(actor, volumeId, folders);
    const { written, clips } = await this.writeBins(
      actor,
      volume,
      { ids: assets.map((a) => a.id), title: binName },
      '/',
      false,
    );
    await this.deps.audit.record(
      actor,
      'volume.prepare',
      { type: 'selection' },
      {
        volume: volumeId,
        volumeName: name,
        selection: assets.length,
        folders: folders.length,
        copies,
        clips,
        mhl: generations.flatMap((g) => (g.written ? [g.written] : [])),
        ...written,
      },
    );
    // Each folder's watchers hear of it; the event filter keeps each from those who may not see it.
    for (const folderPath of folders)
      this.deps.events.publish({ type: 'volume.prepared', volumeId, folderPath, jobId });
  }

  /** The ALE and the FCPXML of `source`, written to the volume folder `dir`. */
  private async writeBins(
    actor: Actor,
    volume: Volume,
    source: BinSource,
    dir: string,
    replace: boolean,
  ): Promise<{ written: Record<string, string>; clips: number }> {
    const written: Record<string, string> = {};
    let clips = 0;
    for (const format of BIN_FORMATS) {
      const bin = await this.deps.bins.build(actor, source, format);
      const path = assetKey(dir, bin.file.fileName);
      const bytes = Buffer.from(bin.file.body, 'utf8');
      // Already there with these very bytes: a twin request (or this job's earlier attempt) wrote it.
      if (!(await writeVolumeFile(volume, path, bytes, { replace })) && !(await holds(volume, path, bytes)))
        throw new FinalJobError(`"${path}" appeared on the volume meanwhile; it was not written over.`);
      written[format] = path;
      clips = bin.clips;
    }
    return { written, clips };
  }

  /** Waits until every copy job has finished; the number that failed. */
  private async waitForCopies(ids: string[], context: JobContext): Promise<number> {
    let failed = 0;
    for (let i = 0; i < ids.length; i++) {
      for (;;) {
        const copy = await this.deps.jobs.get(ids[i]!);
        // A job the queue no longer keeps finished long ago; its copy is judged by the seal.
        if (!copy || copy.state === 'done') break;
        if (copy.state === 'failed') {
          failed++;
          break;
        }
        await sleep(this.deps.pollMs ?? 500, undefined, { signal: context.signal });
      }
      await context.progress(i + 1, ids.length);
    }
    return failed;
  }
}

/** Whether the volume's file at `path` is exactly `bytes` (read no further than their length). */
async function holds(volume: Volume, path: string, bytes: Buffer): Promise<boolean> {
  const stat = await volume.stat(path);
  if (stat?.size !== bytes.length) return false;
  const chunks: Buffer[] = [];
  for await (const chunk of await volume.read(path)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).equals(bytes);
}

/** "Selection 2026-12-03 14-05-09": sorts by time, and every file system can hold it. */
export function defaultBinName(now: number): string {
  const iso = new Date(now).toISOString();
  return `Selection ${iso.slice(0, 10)} ${iso.slice(11, 19).replaceAll(':', '-')}`;
}
