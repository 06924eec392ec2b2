/**
 * Runs once before the server tests. Services the tests need (PostgreSQL, Swift s3api) are
 * started by scripts/test-services.sh; this only checks the environment they left behind.
 */
export default function setup(): void {
  for (const name of ['DAILIES_TEST_DATABASE_URL', 'DAILIES_TEST_S3_ENDPOINT']) {
    if (!process.env[name]) {
      console.warn(`[tests] ${name} is not set: run the suite with "npm test" so the real services start.`);
    }
  }
}
