import { api } from '../../../lib/api-client';
import { waitForJob } from '../../../lib/jobs';

export interface JobOutcome {
  assetId: string;
  /** The job's own message when it failed (a kept file says why). */
  error?: string;
}

/**
 * Follows the one-job-per-asset answer of copy and remove until every job ends, reporting how
 * many have. Failures are collected rather than thrown: one kept file must not hide the rest.
 */
async function follow(
  jobs: Array<{ assetId: string; jobId: string }>,
  onProgress?: (finished: number, total: number) => void,
): Promise<JobOutcome[]> {
  let finished = 0;
  onProgress?.(0, jobs.length);
  return Promise.all(
    jobs.map(async ({ assetId, jobId }) => {
      let outcome: JobOutcome;
      try {
        await waitForJob(jobId);
        outcome = { assetId };
      } catch (error) {
        outcome = { assetId, error: (error as Error).message };
      }
      onProgress?.(++finished, jobs.length);
      return outcome;
    }),
  );
}

/** Copies assets to an edit volume (verified by checksum on the server), one job each. */
export async function copyToVolume(
  volumeId: string,
  ids: string[],
  onProgress?: (finished: number, total: number) => void,
) {
  const { jobs } = await api('post', '/api/volumes/{id}/copy', { params: { id: volumeId }, body: { ids } });
  return follow(jobs, onProgress);
}

/** Removes copies from an edit volume; a file changed there is kept unless an admin forces. */
export async function removeFromVolume(
  volumeId: string,
  ids: string[],
  force: boolean,
  onProgress?: (finished: number, total: number) => void,
) {
  const { jobs } = await api('post', '/api/volumes/{id}/remove', {
    params: { id: volumeId },
    body: force ? { ids, force } : { ids },
  });
  return follow(jobs, onProgress);
}

/**
 * Copies a folder with the subfolders one may see (structure kept), one verified job per asset.
 * `count` is how many assets it took: 0 when there was nothing to copy.
 */
export async function copyFolderToVolume(
  volumeId: string,
  folder: string,
  onStart: (count: number) => void,
  onProgress?: (finished: number, total: number) => void,
) {
  const { jobs } = await api('post', '/api/volumes/{id}/copy-folder', {
    params: { id: volumeId },
    body: { folder },
  });
  onStart(jobs.length);
  return follow(jobs, onProgress);
}

/** Removes a folder's copies (with the subfolders one may see) from a volume. */
export async function removeFolderFromVolume(
  volumeId: string,
  folder: string,
  force: boolean,
  onStart: (count: number) => void,
  onProgress?: (finished: number, total: number) => void,
) {
  const { jobs } = await api('post', '/api/volumes/{id}/remove-folder', {
    params: { id: volumeId },
    body: force ? { folder, force } : { folder },
  });
  onStart(jobs.length);
  return follow(jobs, onProgress);
}

/**
 * "Prepare for edit": copies a folder (with the subfolders one may see) to a volume, then the
 * server writes the ASC MHL generation and the ALE + FCPXML bins beside it. Resolves when the
 * preparing job ends; its error names how many copies failed.
 */
export async function prepareFolderForEdit(
  volumeId: string,
  folder: string,
  onProgress?: (finished: number, total: number) => void,
): Promise<{ copies: number }> {
  const { jobId, jobs } = await api('post', '/api/volumes/{id}/prepare', {
    params: { id: volumeId },
    body: { folder },
  });
  // The copies' progress is the visible part; the bins are written in a moment after.
  await follow(jobs, onProgress);
  await waitForJob(jobId);
  return { copies: jobs.length };
}

/**
 * "Prepare for edit" of chosen assets: each is copied to the volume keeping its folder path,
 * then the server writes their folders' ASC MHL generations and the bins `<name>.ale` and
 * `<name>.fcpxml` at the volume's root. Resolves when the preparing job ends.
 */
export async function prepareSelectionForEdit(
  volumeId: string,
  ids: string[],
  name: string,
  onProgress?: (finished: number, total: number) => void,
): Promise<{ copies: number; bins: string[] }> {
  const { jobId, jobs, bins } = await api('post', '/api/volumes/{id}/prepare-selection', {
    params: { id: volumeId },
    body: { ids, name },
  });
  await follow(jobs, onProgress);
  await waitForJob(jobId);
  return { copies: jobs.length, bins };
}
