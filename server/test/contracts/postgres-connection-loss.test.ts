import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { connectCatalog } from '../../src/adapters/db/dialect.js';
import { dropTestDatabase } from '../support/drop-database.js';
import { testDatabaseUrl } from '../support/services.js';

// Real: PostgreSQL. The catalog keeps idle connections; PostgreSQL may end them at any time.
describe('PostgreSQL catalog connections', () => {
  let url = '';
  afterEach(async () => {
    if (url) await dropTestDatabase(url);
  });

  it('survives PostgreSQL ending its idle connections, and answers the next query on a new one', async () => {
    url = await testDatabaseUrl();
    const connection = connectCatalog({ databaseUrl: url, sqliteFile: '' });
    try {
      const pid = async () =>
        (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(connection.db)).rows[0].pid;
      const first = await pid();
      const admin = new pg.Client({ connectionString: process.env.DAILIES_TEST_DATABASE_URL });
      await admin.connect();
      try {
        const ended = await admin.query('select pg_terminate_backend($1) as ended', [first]);
        expect(ended.rows[0].ended).toBe(true);
      } finally {
        await admin.end();
      }
      // The pool hears the idle connection's end; without a listener that error ends the process.
      // Deliberate: time for that error to arrive (surviving it is what is tested; nothing to poll).
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = await pid();
      expect(second).not.toBe(first);
    } finally {
      await connection.close();
    }
  });
});
