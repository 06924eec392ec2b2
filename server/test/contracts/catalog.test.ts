import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { kyselyCatalog } from '../../src/adapters/db/catalog.js';
import { type CatalogConnection, connectCatalog } from '../../src/adapters/db/dialect.js';
import { migrateToLatest } from '../../src/adapters/db/migrate.js';
import { testDatabaseUrl } from '../support/services.js';
import { catalogContract } from './catalog.contract.js';

// Real: an in-memory SQLite database, a SQLite file whose SELECTs run on reader threads (as a
// server's catalog), and a fresh PostgreSQL database per test.
const connections: CatalogConnection[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const c of connections) await c.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function open(databaseUrl?: string) {
  const connection = connectCatalog({ databaseUrl, sqliteFile: ':memory:' });
  connections.push(connection);
  await migrateToLatest(connection.db);
  return kyselyCatalog(connection.db);
}

catalogContract('SQLite', () => open());
catalogContract('SQLite file, reader threads', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dailies-catalog-'));
  dirs.push(dir);
  const connection = connectCatalog({ sqliteFile: join(dir, 'catalog.db') });
  connections.push(connection);
  await migrateToLatest(connection.db);
  return kyselyCatalog(connection.db);
});
catalogContract('PostgreSQL', async () => open(await testDatabaseUrl()));
