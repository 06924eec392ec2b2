import { migratedCatalog } from '../support/migrated-catalog.js';
import { testDatabaseUrl } from '../support/services.js';
import { catalogContract } from './catalog.contract.js';

// Real: an in-memory SQLite database and a fresh PostgreSQL database per test.
catalogContract('SQLite', () => migratedCatalog());
catalogContract('PostgreSQL', async () => migratedCatalog(await testDatabaseUrl()));
