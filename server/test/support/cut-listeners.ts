import pg from 'pg';

/**
 * Ends every LISTEN connection on the database at `url`, as a restarted or overloaded
 * PostgreSQL would; returns how many it ended.
 */
export async function cutListenConnections(url: string): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const killed = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
    );
    return killed.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}
