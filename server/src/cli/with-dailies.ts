import type { Config } from '../config.js';
import { AppError } from '../lib/errors.js';
import { createDailies, type Dailies } from '../wiring.js';

/**
 * Runs a command's `work` on a wired Dailies (no watcher, no workers: a command does its one
 * thing and ends); a refusal (bad name, unknown group, unknown folder) is a message and exit
 * code 1, anything else a crash with its stack.
 */
export async function withDailies(
  config: Config,
  work: (dailies: Dailies) => Promise<number>,
): Promise<number> {
  const dailies = await createDailies({ ...config, watchLake: false, inProcessWorkers: false });
  try {
    return await work(dailies);
  } catch (error) {
    if (error instanceof AppError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await dailies.close();
  }
}
