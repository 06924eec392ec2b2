import { createPino, pinoLogger } from '../adapters/logging/pino-logger.js';
import { reapOrphanedTools } from '../adapters/media/tool-reaper.js';
import type { Config } from '../config.js';
import { workOptions } from '../jobs/work-options.js';
import { reportTo } from '../ports/logger.js';
import { createDailies } from '../wiring.js';

/**
 * Runs job workers alone, without HTTP: on PostgreSQL (pg-boss) any number of these on any
 * machine share the work. On SQLite one process serves a data dir: the workers run inside `serve`.
 * SIGINT/SIGTERM stop taking jobs and give running ones back to the queue.
 */
export async function runWorker(config: Config): Promise<number> {
  const log = pinoLogger(createPino({ level: config.logLevel })).child({ role: 'worker' });
  // Each job's start, end and failure are logged by the handlers (jobs/job-log.ts), as in `serve`.
  const dailies = await createDailies(config, { processRole: 'worker', logger: log });
  // Moves this worker's killed predecessor left between the lake and the catalog are settled
  // before their jobs are taken again.
  await dailies.intents.recover(reportTo(log));
  await dailies.processing.cleanWorkDir();
  await reapOrphanedTools();
  const work = workOptions(config.jobConcurrency);
  await dailies.jobs.work(dailies.handlers, work);
  log.info('worker started', {
    catalog: dailies.connection.dialect,
    concurrency: work.concurrency,
    pid: process.pid,
  });
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log.info('worker stopping', { signal });
  await dailies.close();
  return 0;
}
