import pg from 'pg';

/** Drops a database made by `testDatabaseUrl`, closing whatever still holds it. */
export async function dropTestDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const adminUrl = process.env.DAILIES_TEST_DATABASE_URL;
  if (!adminUrl || !/^dailies_test_[0-9a-f]+$/.test(name)) return;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
