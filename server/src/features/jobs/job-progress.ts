import type { RequestedBy } from '../../jobs/types.js';
import type { EventBus } from '../../ports/events.js';
import type { JobQueue } from '../../ports/job-queue.js';

/**
 * Jobs someone asked for (moves, copies) tell that person how far they got, live: every state
 * change of such a job this process runs becomes a `job.progress` event for its asker only.
 * Returns the function that stops forwarding.
 */
export function forwardJobProgress(jobs: JobQueue, events: EventBus): () => void {
  return jobs.onChange((job) => {
    const { actorId } = job.data as Partial<RequestedBy>;
    if (!actorId) return;
    events.publish({
      type: 'job.progress',
      jobId: job.id,
      name: job.name,
      actorId,
      done: job.progressDone,
      total: job.progressTotal,
      state: job.state,
    });
  });
}
