import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { kyselyCatalog } from '../../src/adapters/db/catalog.js';
import { type CatalogConnection, connectCatalog } from '../../src/adapters/db/dialect.js';
import { migrateToLatest } from '../../src/adapters/db/migrate.js';
import { migratedCatalog } from '../support/migrated-catalog.js';
import { testDatabaseUrl } from '../support/services.js';
import { catalogContract } from './catalog.contract.js';

// Real: an in-memory SQLite database, a SQLite file whose SELECTs run on reader threads (as a
// server's catalog), and a fresh PostgreSQL database per test.
const files: { connection: CatalogConnection; dir: string }[] = [];
afterAll(async () => {
  for (const { connection, dir } of files) {
    await connection.close();
    await rm(dir, { recursive: true, force: true });
  }
});

catalogContract('SQLite', () => migratedCatalog());
catalogContract('SQLite file, reader threads', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dailies-catalog-'));
  const connection = connectCatalog({ sqliteFile: join(dir, 'catalog.db') });
  files.push({ connection, dir });
  await migrateToLatest(connection.db);
  return kyselyCatalog(connection.db);
});
catalogContract('PostgreSQL', async () => migratedCatalog(await testDatabaseUrl()));
