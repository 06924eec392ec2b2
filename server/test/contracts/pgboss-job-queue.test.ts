import pg from 'pg';
import { PgBossJobQueue } from '../../src/adapters/queue/pgboss-job-queue.js';
import { dropTestDatabase } from '../support/drop-database.js';
import { testDatabaseUrl } from '../support/services.js';
import { jobQueueContract, type QueueHarness } from './job-queue.contract.js';

// Real: pg-boss 10 on a fresh database on the test PostgreSQL, one pool per queue instance.
jobQueueContract('pg-boss on PostgreSQL', async (): Promise<QueueHarness> => {
  const databaseUrl = await testDatabaseUrl();
  const instances: Array<{ queue: PgBossJobQueue; pool: pg.Pool; killed: boolean }> = [];
  return {
    async open(options = {}) {
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
      // A killed instance's pool reports its lost connections; that is the point of killing it.
      pool.on('error', () => {});
      const queue = await PgBossJobQueue.create(pool, {
        leaseMs: options.leaseMs,
        backoffBaseMs: options.backoffMs ?? 1000,
        pollMs: 200,
      });
      const instance = { queue, pool, killed: false };
      instances.push(instance);
      return {
        queue,
        kill: async () => {
          instance.killed = true;
          await pool.end();
        },
      };
    },
    async close() {
      for (const i of instances) {
        if (i.killed) continue;
        await i.queue.close();
        await i.pool.end();
      }
      await dropTestDatabase(databaseUrl);
    },
  };
});
