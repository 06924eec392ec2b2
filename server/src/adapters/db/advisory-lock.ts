import type pg from 'pg';
import type { ClusterLock } from '../../ports/cluster-lock.js';

/**
 * Named locks held by PostgreSQL (session advisory locks on a connection of their own): the
 * holder's death ends its session, so a killed server never leaves one behind.
 */
export class PostgresAdvisoryLock implements ClusterLock {
  constructor(private readonly pool: pg.Pool) {}

  async run<T>(name: string, work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('select pg_advisory_lock(hashtext($1))', [`dailies:${name}`]);
      try {
        return await work();
      } finally {
        await client.query('select pg_advisory_unlock(hashtext($1))', [`dailies:${name}`]);
      }
    } finally {
      client.release();
    }
  }
}

/** SQLite: the process lock already makes this process the only one on the catalog. */
export const inProcessLock: ClusterLock = { run: (_name, work) => work() };
