/**
 * A catalog database migrated to the latest schema, for tests of the repositories: an in-memory
 * SQLite one, or a fresh PostgreSQL one when given its address. Every connection opened here is
 * closed when the test file ends.
 */
import type { Kysely } from 'kysely';
import { afterAll } from 'vitest';
import { kyselyCatalog } from '../../src/adapters/db/catalog.js';
import type { Database } from '../../src/adapters/db/database.js';
import { type CatalogConnection, connectCatalog } from '../../src/adapters/db/dialect.js';
import { migrateToLatest } from '../../src/adapters/db/migrate.js';
import type { Catalog } from '../../src/ports/catalog.js';

const connections: CatalogConnection[] = [];
afterAll(async () => {
  for (const c of connections.splice(0)) await c.close();
});

export async function migratedDatabase(databaseUrl?: string): Promise<Kysely<Database>> {
  const connection = connectCatalog({ databaseUrl, sqliteFile: ':memory:' });
  connections.push(connection);
  await migrateToLatest(connection.db);
  return connection.db;
}

export async function migratedCatalog(databaseUrl?: string): Promise<Catalog> {
  return kyselyCatalog(await migratedDatabase(databaseUrl));
}
