import { afterAll } from 'vitest';
import { type CatalogConnection, connectCatalog } from '../../src/adapters/db/dialect.js';
import { migrateToLatest } from '../../src/adapters/db/migrate.js';
import { KyselyNoteRepository } from '../../src/adapters/db/note.repository.js';
import { testDatabaseUrl } from '../support/services.js';
import { noteRepositoryContract } from './note-repository.contract.js';

// Real: an in-memory SQLite database and a fresh PostgreSQL database per test.
const connections: CatalogConnection[] = [];
afterAll(async () => {
  for (const c of connections) await c.close();
});

async function open(databaseUrl?: string) {
  const connection = connectCatalog({ databaseUrl, sqliteFile: ':memory:' });
  connections.push(connection);
  await migrateToLatest(connection.db);
  return new KyselyNoteRepository(connection.db);
}

noteRepositoryContract('SQLite', () => open());
noteRepositoryContract('PostgreSQL', async () => open(await testDatabaseUrl()));
