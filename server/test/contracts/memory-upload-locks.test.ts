import { UploadLockTable } from '../../src/adapters/uploads/upload-locks.js';
import { uploadLocksContract } from './upload-locks.contract.js';

// SQLite: one process owns the catalog, so its requests are the only ones to keep apart.
uploadLocksContract(
  'one process',
  async (timeoutMs) => {
    const table = new UploadLockTable(null, timeoutMs);
    return { a: table, b: table, close: () => table.close() };
  },
  { holderConnection: false },
);
