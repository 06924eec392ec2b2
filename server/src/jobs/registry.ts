import type { AssetsService } from '../features/assets/assets.service.js';
import type { FoldersService } from '../features/folders/folders.service.js';
import type { MhlService } from '../features/mhl/mhl.service.js';
import type { PrepareService } from '../features/prepare/prepare.service.js';
import type { DerivativeJob, ProcessingService } from '../features/processing/processing.service.js';
import type { StorageCleanup } from '../features/storage/storage-cleanup.js';
import type { VolumesService } from '../features/volumes/volumes.service.js';
import type { JobHandler, JobHandlers } from '../ports/job-queue.js';

/** A plain map from job name to handler; TypeScript fails the build when one is missing. */
export function jobHandlers(services: {
  assets: AssetsService;
  folders: FoldersService;
  volumes: VolumesService;
  processing: ProcessingService;
  cleanup: StorageCleanup;
  mhl: MhlService;
  prepare: PrepareService;
}): JobHandlers {
  const derivative: JobHandler<DerivativeJob> = (job, context) =>
    services.processing.runDerivative(job, context);
  return {
    'assets.move': (job, context) => services.assets.runMove(job, context),
    'folder.move': (job, context) => services.folders.runMove(job, context),
    'volume.copy': (job, context) => services.volumes.runCopy(job, context),
    'volume.remove': (job, context) => services.volumes.runRemove(job, context),
    'volume.import': (job, context) => services.volumes.runImport(job, context),
    'volume.prepare': (job, context) => services.prepare.run(job, context),
    'storage.dedupe': (job, context) => services.cleanup.runDedupe(job, context),
    'asset.probe': (job, context) => services.processing.runProbe(job, context),
    'asset.thumbnail': derivative,
    'asset.proxy': derivative,
    'asset.filmstrip': derivative,
    'asset.waveform': derivative,
    'mhl.verify': async (job, context) => void (await services.mhl.runVerify(job, context)),
    'mhl.seal': async (job) => void (await services.mhl.runSeal(job)),
  };
}
