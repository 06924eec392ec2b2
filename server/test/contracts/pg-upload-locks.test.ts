import pg from 'pg';
import { PgUploadLocks } from '../../src/adapters/db/pg-upload-locks.js';
import { dropTestDatabase } from '../support/drop-database.js';
import { testDatabaseUrl } from '../support/services.js';
import { uploadLocksContract } from './upload-locks.contract.js';

// Real: two lock tables as two servers, each with its own connection to one fresh PostgreSQL
// database (advisory locks are per database).
uploadLocksContract(
  'PostgreSQL advisory locks',
  async (timeoutMs) => {
    const url = await testDatabaseUrl();
    const a = new PgUploadLocks(url, { timeoutMs });
    const b = new PgUploadLocks(url, { timeoutMs });
    return {
      a,
      b,
      // As when a server's machine dies: PostgreSQL ends its session, and its locks with it.
      killHolder: async () => {
        const pid = await a.backendPid();
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        try {
          await admin.query('select pg_terminate_backend($1)', [pid]);
        } finally {
          await admin.end();
        }
      },
      close: async () => {
        await a.close();
        await b.close();
        await dropTestDatabase(url);
      },
    };
  },
  { holderConnection: true },
);
