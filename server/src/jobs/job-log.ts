import { FinalJobError, type JobHandler, type JobHandlers } from '../ports/job-queue.js';
import type { Logger } from '../ports/logger.js';

/**
 * The handlers with each job's life in the log: started (debug), done with its duration (info),
 * failed with the reason, the attempt and whether it runs again (warn, error when it will not),
 * or stopped with its process. Every process that runs jobs (`serve`'s in-process workers,
 * `dailies worker`) takes its handlers from the wiring, so every one logs the same way.
 */
export function loggedHandlers(handlers: JobHandlers, logger: Logger): JobHandlers {
  const logged = {} as Record<string, JobHandler>;
  for (const [name, handler] of Object.entries(handlers) as Array<[string, JobHandler]>) {
    logged[name] = async (job, context) => {
      const fields = { job: job.id, name: job.name, attempt: context.attempt };
      const started = performance.now();
      const durationMs = () => Math.round(performance.now() - started);
      logger.debug('job started', fields);
      try {
        await handler(job, context);
      } catch (error) {
        if (context.signal.aborted) logger.info('job stopped', { ...fields, durationMs: durationMs() });
        else {
          const again = !(error instanceof FinalJobError) && context.attempt < job.maxAttempts;
          const failure = {
            ...fields,
            maxAttempts: job.maxAttempts,
            reason: (error as Error)?.message ?? String(error),
            again,
            durationMs: durationMs(),
            err: error,
          };
          if (again) logger.warn('job failed', failure);
          else logger.error('job failed', failure);
        }
        throw error;
      }
      logger.info('job done', { ...fields, durationMs: durationMs() });
    };
  }
  return logged as JobHandlers;
}
