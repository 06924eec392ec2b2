import { migratedCatalog } from '../support/migrated-catalog.js';
import { testDatabaseUrl } from '../support/services.js';
import { noteRepositoryContract } from './note-repository.contract.js';

// Real: the catalog's notes on an in-memory SQLite database and a fresh PostgreSQL database.
const notesOf = async (databaseUrl?: string) => (await migratedCatalog(databaseUrl)).notes;

noteRepositoryContract('SQLite', () => notesOf());
noteRepositoryContract('PostgreSQL', async () => notesOf(await testDatabaseUrl()));
