import { setTimeout as sleep } from 'node:timers/promises';
import { Invalid } from '../../lib/errors.js';
import { assetKey, normalizeFolderPath, parentPath } from '../../lib/paths.js';
import type { Catalog } from '../../ports/catalog.js';
import type { EventBus } from '../../ports/events.js';
import { FinalJobError, type JobContext, type JobQueue, type JobRecord } from '../../ports/job-queue.js';
import type { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { type ActorLookup, jobActor, requestedBy } from '../access/job-actor.js';
import type { AuditService } from '../audit/audit.service.js';
import type { BinsService } from '../bins/bins.service.js';
import type { MhlService } from '../mhl/mhl.service.js';
import { writeVolumeFile } from '../mhl/volume-writes.js';
import type { QueuedJobs, VolumesService } from '../volumes/volumes.service.js';

interface Deps {
  catalog: Catalog;
  access: AccessPolicy;
  audit: AuditService;
  events: EventBus;
  jobs: JobQueue;
  volumes: Pick<VolumesService, 'opened' | 'requestFolderCopy'>;
  mhl: Pick<MhlService, 'sealVolume'>;
  bins: Pick<BinsService, 'build'>;
  /** Who asked, as they are when the job runs. */
  actorOf: ActorLookup;
  /** How long the job waits between looks at an unfinished copy (tests shorten it). */
  pollMs?: number;
}

export interface PrepareRequest extends QueuedJobs {
  /** The job that seals and writes the bins once every copy has finished; follow it at /api/jobs/:id. */
  jobId: string;
}

/**
 * "Prepare for edit": one action that hands a folder to the editors. The folder (with the
 * subfolders the caller may see) is copied to the volume through the verified folder copy;
 * a `volume.prepare` job waits for those copies, then writes the volume's ASC MHL generation
 * and the ALE and FCPXML bins beside the copied folder, audits it and tells those who may see
 * the folder. Whatever the caller may not see is neither copied nor listed in the bins.
 */
export class PrepareService {
  constructor(private readonly deps: Deps) {}

  async request(actor: Actor, volumeId: string, folderPath: string): Promise<PrepareRequest> {
    const { access, jobs, volumes } = this.deps;
    volumes.opened(actor, volumeId);
    const folder = await access.requireFolder(actor, normalizeFolderPath(folderPath));
    const copies = await volumes.requestFolderCopy(actor, volumeId, folder.path);
    if (copies.jobs.length === 0) throw new Invalid(`"${folder.path}" holds nothing to copy to the volume.`);
    const jobId = await jobs.enqueue(
      'volume.prepare',
      { ...requestedBy(actor), volumeId, folderId: folder.id, copyJobIds: copies.jobs.map((j) => j.jobId) },
      // A second request while one waits gets that one: its copies are the same deduplicated jobs.
      { key: `${folder.id}:${volumeId}:prepare`, maxAttempts: 3 },
    );
    return { jobId, jobs: copies.jobs };
  }

  /** The `volume.prepare` job. */
  async run(job: JobRecord<'volume.prepare'>, context: JobContext): Promise<void> {
    const { catalog, access, volumes } = this.deps;
    const { volumeId, folderId, copyJobIds } = job.data;
    // It writes with the asker's rights: an account gone or taken out of the groups stops it.
    const actor = await jobActor(job.data, this.deps.actorOf, true);
    const failed = await this.waitForCopies(copyJobIds, context);
    if (failed > 0)
      throw new FinalJobError(
        `${failed} of ${copyJobIds.length} copies failed; the bins were not written and the folder was not announced as prepared. Prepare again once the copies succeed.`,
      );
    const found = await catalog.folders.getById(folderId);
    if (!found) throw new FinalJobError('The folder no longer exists; nothing was written.');
    const folder = await access.requireFolder(actor, found.path);
    const { volume, name } = volumes.opened(actor, volumeId);
    const generation = await this.deps.mhl.sealVolume(actor, volumeId, folder.path);
    // Beside the copied folder, so the media paths inside (relative to the folder's parent) resolve.
    const besideFolder = parentPath(folder.path) ?? '/';
    const written: Record<string, string> = {};
    let clips = 0;
    for (const format of ['ale', 'fcpxml'] as const) {
      const bin = await this.deps.bins.build(
        actor,
        { folder: folder.path, recursive: true, media: true },
        format,
      );
      const path = assetKey(besideFolder, bin.file.fileName);
      // Bins are Dailies' own files: a second preparation replaces them with the current logging.
      await writeVolumeFile(volume, path, Buffer.from(bin.file.body, 'utf8'), { replace: true });
      written[format] = path;
      clips = bin.clips;
    }
    await this.deps.audit.record(
      actor,
      'volume.prepare',
      { type: 'folder', id: folder.id },
      {
        volume: volumeId,
        volumeName: name,
        path: folder.path,
        copies: copyJobIds.length,
        clips,
        mhl: generation?.written ?? null,
        ...written,
      },
    );
    this.deps.events.publish({ type: 'volume.prepared', volumeId, folderPath: folder.path, jobId: job.id });
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
