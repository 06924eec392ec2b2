import { pino } from 'pino';
import { reapOrphanedTools } from '../adapters/media/tool-reaper.js';
import type { Config } from '../config.js';
import { createDailies } from '../wiring.js';

/**
 * Runs job workers alone, without HTTP: on PostgreSQL (pg-boss) any number of these on any
 * machine share the work. On SQLite one process serves a data dir: the workers run inside `serve`.
 * SIGINT/SIGTERM stop taking jobs and give running ones back to the queue.
 */
export async function runWorker(config: Config): Promise<number> {
  const log = pino({ level: config.logLevel, base: { role: 'worker' } });
  const dailies = await createDailies(config, {
    processRole: 'worker',
    log: (message, error) => log.error({ err: error }, message),
  });
  dailies.jobs.onChange((job) => {
    if (job.state === 'failed' || (job.state === 'queued' && job.error))
      log.warn({ job: job.id, name: job.name, attempt: job.attempts, error: job.error }, 'job failed');
    else if (job.state === 'done')
      log.info({ job: job.id, name: job.name, attempt: job.attempts }, 'job done');
  });
  // Moves this worker's killed predecessor left between the lake and the catalog are settled
  // before their jobs are taken again.
  await dailies.intents.recover((message, error) => log.error({ err: error }, message));
  await dailies.processing.cleanWorkDir();
  await reapOrphanedTools();
  await dailies.jobs.work(dailies.handlers, { concurrency: config.jobConcurrency, defaultConcurrency: 1 });
  log.info(
    { catalog: dailies.connection.dialect, concurrency: config.jobConcurrency, pid: process.pid },
    'worker started',
  );
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log.info({ signal }, 'worker stopping');
  await dailies.close();
  return 0;
}
