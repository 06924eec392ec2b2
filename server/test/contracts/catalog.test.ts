import { afterAll } from 'vitest';
import { kyselyCatalog } from '../../src/adapters/db/catalog.js';
import { type CatalogConnection, connectCatalog } from '../../src/adapters/db/dialect.js';
import { migrateToLatest } from '../../src/adapters/db/migrate.js';
import { testDatabaseUrl } from '../support/services.js';
import { catalogContract } from './catalog.contract.js';

// Real: an in-memory SQLite database and a fresh PostgreSQL database per test.
const connections: CatalogConnection[] = [];
afterAll(async () => {
  for (const c of connections) await c.close();
});

async function open(databaseUrl?: string) {
  const connection = connectCatalog({ databaseUrl, sqliteFile: ':memory:' });
  connections.push(connection);
  await migrateToLatest(connection.db);
  return kyselyCatalog(connection.db);
}

catalogContract('SQLite', () => open());
catalogContract('PostgreSQL', async () => open(await testDatabaseUrl()));
