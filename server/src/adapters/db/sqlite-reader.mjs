// A thread that answers the catalog's SELECTs on SQLite from its own read-only connection, for
// sqlite-readers.ts. In WAL mode a reader never blocks the writer nor waits for it, so the
// main thread's connection is left to writes and transactions. Plain JavaScript: worker
// threads do not inherit the server's TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { keepingStatements } from './sqlite-statements.mjs';

const database = new SQLite(workerData.file, { readonly: true, fileMustExist: true });
database.pragma('busy_timeout = 5000');
database.pragma(`mmap_size = ${workerData.mmapSize}`);

const statements = keepingStatements(database);

function statement(sql) {
  const found = statements.prepare(sql);
  if (!found.reader) throw new Error('Only statements that return rows run on a reader thread.');
  return found;
}

// Bytes arrive as a plain Uint8Array after crossing threads; better-sqlite3 binds Buffers.
const bindable = (value) =>
  value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value;

parentPort.on('message', ({ id, sql, parameters }) => {
  try {
    const rows = statement(sql).all(parameters.map(bindable));
    parentPort.postMessage({ id, rows });
  } catch (error) {
    parentPort.postMessage({
      id,
      error: { name: error.name, message: error.message, code: error.code },
    });
  }
});
