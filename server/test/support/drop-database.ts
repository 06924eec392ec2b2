import pg from 'pg';

/** What `testDatabaseUrl` names a database: the run's name (or `bench`), then its own. */
const TEST_DATABASE = /^dailies_test_[0-9a-z]+_[0-9a-f]+$/;

/** Drops a database made by `testDatabaseUrl`, closing whatever still holds it. */
export async function dropTestDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  await dropWhere('datname = $1', name);
}

/** Drops every database a test run made (global-setup.ts, when the run ends). */
export async function dropTestRun(run: string): Promise<void> {
  // A prefix, not LIKE: `_` in the name would match any character there.
  await dropWhere('starts_with(datname, $1)', `dailies_test_${run}_`);
}

async function dropWhere(condition: string, value: string): Promise<void> {
  const adminUrl = process.env.DAILIES_TEST_DATABASE_URL;
  if (!adminUrl) return;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `select datname from pg_database where ${condition}`,
      [value],
    );
    for (const { datname } of rows)
      if (TEST_DATABASE.test(datname)) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
