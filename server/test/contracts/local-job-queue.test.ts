import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectCatalog } from '../../src/adapters/db/dialect.js';
import { migrateToLatest } from '../../src/adapters/db/migrate.js';
import { LocalJobQueue } from '../../src/adapters/queue/local-job-queue.js';
import { systemClock } from '../../src/ports/clock.js';
import { dropTestDatabase } from '../support/drop-database.js';
import { testDatabaseUrl } from '../support/services.js';
import { jobQueueContract, type QueueHarness } from './job-queue.contract.js';

// Real: a SQLite file in a temporary directory, and a fresh database on the test PostgreSQL.
function localHarness(
  target: () => Promise<{ databaseUrl?: string; sqliteFile: string; cleanup(): Promise<void> }>,
) {
  return async (): Promise<QueueHarness> => {
    const where = await target();
    const connections: Array<{ close(): Promise<void>; closed: boolean }> = [];
    const first = connectCatalog(where);
    await migrateToLatest(first.db);
    await first.close();
    return {
      async open(options = {}) {
        const connection = connectCatalog(where);
        const handle = { close: () => connection.close(), closed: false };
        connections.push(handle);
        const queue = new LocalJobQueue(connection.db, systemClock, {
          leaseMs: options.leaseMs,
          backoffBaseMs: options.backoffMs ?? 50,
        });
        return {
          queue,
          kill: async () => {
            handle.closed = true;
            await connection.close();
          },
        };
      },
      async close() {
        for (const c of connections) if (!c.closed) await c.close().catch(() => {});
        await where.cleanup();
      },
    };
  };
}

jobQueueContract(
  'local queue on SQLite',
  localHarness(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dailies-queue-'));
    return {
      sqliteFile: join(dir, 'catalog.sqlite'),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  }),
);

jobQueueContract(
  'local queue on PostgreSQL',
  localHarness(async () => {
    const databaseUrl = await testDatabaseUrl();
    return { databaseUrl, sqliteFile: '', cleanup: () => dropTestDatabase(databaseUrl) };
  }),
);
