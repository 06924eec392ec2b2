import type { JobPayload } from '../../jobs/types.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { EnqueueOptions, JobQueue } from '../../ports/job-queue.js';
import type { LocationRepository } from '../../ports/volume.js';
import type { AccessPolicy } from '../access/access.policy.js';
import type { ActorLookup } from '../access/job-actor.js';
import type { VolumeChanges } from './volume-changes.js';
import type { VolumeRegistry } from './volume-registry.js';

/** What every part of the volumes feature is handed (each adds what only it uses). */
export interface VolumeParts {
  /** Who asked for a job, as they are when it runs. */
  actorOf: ActorLookup;
  registry: VolumeRegistry;
  changes: VolumeChanges;
  locations: LocationRepository;
  catalog: Catalog;
  access: AccessPolicy;
  jobs: JobQueue;
}

export interface QueuedJobs {
  jobs: Array<{ assetId: string; jobId: string }>;
}

/** Jobs are answered in the order the ids were asked for. */
export function inRequestOrder(assets: Asset[], ids: string[]): void {
  const order = new Map(ids.map((id, i) => [id, i]));
  assets.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

/** One job per asset, in the assets' order. */
export async function queuePerAsset<N extends 'volume.copy' | 'volume.remove'>(
  jobs: JobQueue,
  name: N,
  assets: Asset[],
  payload: (asset: Asset) => JobPayload<N>,
  options: (asset: Asset) => EnqueueOptions,
): Promise<QueuedJobs> {
  const queued: QueuedJobs['jobs'] = [];
  for (const asset of assets) {
    const jobId = await jobs.enqueue(name, payload(asset), options(asset));
    queued.push({ assetId: asset.id, jobId });
  }
  return { jobs: queued };
}
