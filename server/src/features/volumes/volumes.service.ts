import type { VolumeConfig } from '../../config.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import type { JobContext, JobQueue, JobRecord } from '../../ports/job-queue.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { LocationRepository, Volume } from '../../ports/volume.js';
import type { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import type { ActorLookup } from '../access/job-actor.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ImportService } from '../imports/import.service.js';
import { VolumeBringBack, type VolumeListing } from './volume-bring-back.js';
import { VolumeChanges } from './volume-changes.js';
import { VolumeCopy } from './volume-copy.js';
import { type ScanResult, VolumeDrift } from './volume-drift.js';
import { VolumeFolder } from './volume-folder.js';
import type { QueuedJobs } from './volume-jobs.js';
import { VolumeRegistry, type VolumeView } from './volume-registry.js';
import { VolumeRemove } from './volume-remove.js';

export type { VolumeListing } from './volume-bring-back.js';
export type { ScanResult } from './volume-drift.js';
export type { QueuedJobs } from './volume-jobs.js';
export type { VolumeView } from './volume-registry.js';

interface Deps {
  /** Who asked for a job, as they are when it runs. */
  actorOf: ActorLookup;
  volumes: Array<{ config: VolumeConfig; volume: Volume }>;
  locations: LocationRepository;
  catalog: Catalog;
  lake: ObjectStore;
  access: AccessPolicy;
  audit: AuditService;
  events: EventBus;
  clock: Clock;
  jobs: JobQueue;
  imports: ImportService;
  /** Told of every verified copy placed (or adopted) on a volume: the MHL generation follows. */
  copied?: (volumeId: string, asset: Asset) => Promise<void>;
}

/**
 * Edit volumes, one entry point for routes, jobs and the scheduler. Each job lives in its own
 * file: the registry and who may use a volume (`volume-registry.ts`), verified copies
 * (`volume-copy.ts`), checked removals (`volume-remove.ts`), drift scans and the sweep of
 * killed copies' debris (`volume-drift.ts`), browsing and bring-back (`volume-bring-back.ts`),
 * a whole folder's copy or removal (`volume-folder.ts`).
 */
export class VolumesService {
  private readonly registry: VolumeRegistry;
  private readonly copy: VolumeCopy;
  private readonly removal: VolumeRemove;
  private readonly drift: VolumeDrift;
  private readonly bringBack: VolumeBringBack;
  private readonly folder: VolumeFolder;

  constructor(deps: Deps) {
    this.registry = new VolumeRegistry(deps.volumes, deps.locations);
    const shared = { ...deps, registry: this.registry, changes: new VolumeChanges(deps) };
    this.copy = new VolumeCopy(shared);
    this.removal = new VolumeRemove(shared);
    this.drift = new VolumeDrift(shared);
    this.bringBack = new VolumeBringBack(shared);
    this.folder = new VolumeFolder(shared, this.copy, this.removal);
  }

  /** The volumes saved on the settings page take effect at once; jobs on a dropped one fail, named. */
  replace(volumes: Array<{ config: VolumeConfig; volume: Volume }>): void {
    this.registry.replace(volumes);
  }

  list(actor: Actor): VolumeView[] {
    return this.registry.list(actor);
  }

  /**
   * An opened volume and its name: one the actor may use (NotFound otherwise), or with no
   * actor any configured one (jobs).
   */
  opened(actor: Actor | null, volumeId: string): { volume: Volume; name: string } {
    const { config, volume } = actor
      ? this.registry.require(actor, volumeId)
      : this.registry.configured(volumeId);
    return { volume, name: config.name };
  }

  locationsOf(assetIds: string[]): Promise<Map<string, string[]>> {
    return this.registry.locationsOf(assetIds);
  }

  requestCopy(actor: Actor, volumeId: string, ids: string[]): Promise<QueuedJobs> {
    return this.copy.request(actor, volumeId, ids);
  }

  requestFolderCopy(actor: Actor, volumeId: string, folderPath: string): Promise<QueuedJobs> {
    return this.folder.requestCopy(actor, volumeId, folderPath);
  }

  requestFolderRemove(
    actor: Actor,
    volumeId: string,
    folderPath: string,
    force = false,
  ): Promise<QueuedJobs> {
    return this.folder.requestRemove(actor, volumeId, folderPath, force);
  }

  runCopy(job: JobRecord<'volume.copy'>, context: JobContext): Promise<void> {
    return this.copy.run(job, context);
  }

  requestRemove(actor: Actor, volumeId: string, ids: string[], force = false): Promise<QueuedJobs> {
    return this.removal.request(actor, volumeId, ids, force);
  }

  runRemove(job: JobRecord<'volume.remove'>, context: JobContext): Promise<void> {
    return this.removal.run(job, context);
  }

  scan(actor: Actor, volumeId: string): Promise<ScanResult> {
    return this.drift.scan(actor, volumeId);
  }

  scanAll(actor: Actor, log: (message: string, error?: unknown) => void): Promise<void> {
    return this.drift.scanAll(actor, log);
  }

  sweepTemporaries(volumeId: string): Promise<number> {
    return this.drift.sweepTemporaries(volumeId);
  }

  sweepAll(log: (message: string, error?: unknown) => void): Promise<void> {
    return this.drift.sweepAll(log);
  }

  browse(actor: Actor, volumeId: string, path = ''): Promise<VolumeListing> {
    return this.bringBack.browse(actor, volumeId, path);
  }

  requestImport(actor: Actor, volumeId: string, paths: string[], folder: string): Promise<{ jobId: string }> {
    return this.bringBack.request(actor, volumeId, paths, folder);
  }

  runImport(job: JobRecord<'volume.import'>, context: JobContext): Promise<void> {
    return this.bringBack.run(job, context);
  }
}
