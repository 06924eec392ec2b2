import pg from 'pg';
import { PgEventBus } from '../../src/adapters/events/pg-event-bus.js';
import { dropTestDatabase } from '../support/drop-database.js';
import { testDatabaseUrl } from '../support/services.js';
import { eventBusContract } from './event-bus.contract.js';

// Real: two buses, as two servers, each with its own pool on one fresh PostgreSQL database.
eventBusContract('PostgreSQL', async () => {
  const url = await testDatabaseUrl();
  const opened: Array<{ bus: PgEventBus; pool: pg.Pool }> = [];
  for (let i = 0; i < 2; i++) {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    opened.push({ pool, bus: await PgEventBus.create(pool, url, { onError: (e) => console.error(e) }) });
  }
  return {
    publisher: opened[0].bus,
    subscriber: opened[1].bus,
    close: async () => {
      for (const { bus, pool } of opened) {
        await bus.close();
        await pool.end();
      }
      await dropTestDatabase(url);
    },
  };
});
