import { randomBytes } from 'node:crypto';
import { dropTestRun } from './drop-database.js';

/**
 * Runs once before the server tests. Services the tests need (PostgreSQL, Swift s3api) are
 * started by scripts/test-services.sh; this only checks the environment they left behind, and
 * names this run so its PostgreSQL databases are dropped when it ends (a developer's long-lived
 * services had gathered 2,744 of them, 41 GB, and every later run paid for it on the disk).
 */
export default function setup(): () => Promise<void> {
  for (const name of ['DAILIES_TEST_DATABASE_URL', 'DAILIES_TEST_S3_ENDPOINT']) {
    if (!process.env[name]) {
      console.warn(`[tests] ${name} is not set: run the suite with "npm test" so the real services start.`);
    }
  }
  // Set before the test processes start, which inherit it (services.ts names databases by it).
  const run = randomBytes(4).toString('hex');
  process.env.DAILIES_TEST_RUN = run;
  return () =>
    dropTestRun(run).catch((error) =>
      console.warn(`[tests] the run's databases could not all be dropped: ${(error as Error).message}`),
    );
}
