import { availableParallelism } from 'node:os';
import type { WorkOptions } from '../ports/job-queue.js';
import type { JobName } from './types.js';

/**
 * Workers per job name sized to the machine, and the light slots of the media jobs. ffmpeg
 * uses several cores per run, so the proxy gets about one worker per two cores; probes and
 * the small derivatives are short. Every media job keeps one worker for light jobs (jobs
 * not marked heavy), so one long clip or huge still never holds up every other asset.
 * `configured` (DAILIES_JOB_CONCURRENCY) wins name by name; with a single worker there is
 * no light slot (heavy jobs need that worker).
 */
export function workOptions(
  configured: Partial<Record<JobName, number>>,
  cores = availableParallelism(),
): WorkOptions {
  const c = Math.max(1, Math.floor(Number.isFinite(cores) ? cores : 1));
  const sized: Partial<Record<JobName, number>> = {
    'asset.probe': clamp(c, 2, 8),
    'asset.proxy': clamp(Math.floor(c / 2), 2, 8),
    'asset.thumbnail': clamp(Math.floor(c / 2), 2, 4),
    'asset.filmstrip': 2,
    'asset.waveform': 2,
  };
  const concurrency = { ...sized, ...configured };
  const lightSlots: Partial<Record<JobName, number>> = {};
  for (const name of Object.keys(sized) as JobName[]) if ((concurrency[name] ?? 1) >= 2) lightSlots[name] = 1;
  return { concurrency, defaultConcurrency: 1, lightSlots };
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
