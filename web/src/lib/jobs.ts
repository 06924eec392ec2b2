import { api, type Job } from './api-client';

/**
 * Moves and folder renames run as server jobs; this polls one until it ends and reports
 * progress. Resolves with the finished job, rejects with the job's own failure message.
 */
export async function waitForJob(
  jobId: string,
  onProgress?: (job: Job) => void,
  signal?: AbortSignal,
): Promise<Job> {
  let delay = 150;
  for (;;) {
    const job = await api('get', '/api/jobs/{id}', { params: { id: jobId }, signal });
    onProgress?.(job);
    if (job.state === 'done') return job;
    if (job.state === 'failed') throw new Error(job.error ?? 'The job failed.');
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 1.5, 1000);
  }
}
