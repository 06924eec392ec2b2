import { Worker } from 'node:worker_threads';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SelectQueryNode,
  SqliteDialect,
  type SqliteDialectConfig,
  type TransactionSettings,
} from 'kysely';

/**
 * SQLite with its SELECTs answered by reader threads. better-sqlite3 is synchronous and Kysely
 * gives SQLite one connection behind a mutex, so under load every write (an upload's creation,
 * a folder, a session touch) queued behind every read ahead of it, and each read ran on the
 * event loop: with 50 clients listing 1,000-asset pages a tus creation took 40 s. Here a SELECT
 * outside a transaction runs on a thread with its own read-only connection (WAL: readers and
 * the writer never wait for each other); writes, raw statements and whole transactions keep
 * the main connection and its mutex, as before. A read sees every write committed before it
 * was asked, which is what a caller awaiting its write before reading relies on.
 */
export class SqliteReaderDialect extends SqliteDialect {
  readonly #readers: SqliteReaders;

  constructor(config: SqliteDialectConfig, readers: SqliteReaders) {
    super(config);
    this.#readers = readers;
  }

  override createDriver(): Driver {
    return new ReadRoutingDriver(super.createDriver(), this.#readers);
  }
}

class ReadRoutingDriver implements Driver {
  constructor(
    private readonly main: Driver,
    private readonly readers: SqliteReaders,
  ) {}

  init(): Promise<void> {
    return this.main.init();
  }

  // The main connection is taken only when a statement needs it, so a read waits for no one.
  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedConnection(this.main, this.readers);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const routed = connection as RoutedConnection;
    routed.held = await this.main.acquireConnection();
    try {
      await this.main.beginTransaction(routed.held, settings);
    } catch (error) {
      await this.release(routed);
      throw error;
    }
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.main.commitTransaction(held(connection));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.main.rollbackTransaction(held(connection));
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Parameters<NonNullable<Driver['savepoint']>>[2],
  ): Promise<void> {
    await this.main.savepoint!(held(connection), name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Parameters<NonNullable<Driver['rollbackToSavepoint']>>[2],
  ): Promise<void> {
    await this.main.rollbackToSavepoint!(held(connection), name, compile);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Parameters<NonNullable<Driver['releaseSavepoint']>>[2],
  ): Promise<void> {
    await this.main.releaseSavepoint!(held(connection), name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.release(connection as RoutedConnection);
  }

  private async release(routed: RoutedConnection): Promise<void> {
    const connection = routed.held;
    routed.held = null;
    if (connection) await this.main.releaseConnection(connection);
  }

  async destroy(): Promise<void> {
    await this.readers.close();
    await this.main.destroy();
  }
}

function held(connection: DatabaseConnection): DatabaseConnection {
  const main = (connection as RoutedConnection).held;
  if (!main) throw new Error('A transaction statement arrived without its transaction.');
  return main;
}

class RoutedConnection implements DatabaseConnection {
  /** The main connection, while a transaction holds it. */
  held: DatabaseConnection | null = null;

  constructor(
    private readonly main: Driver,
    private readonly readers: SqliteReaders,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.held) return this.held.executeQuery<R>(query);
    if (SelectQueryNode.is(query.query))
      return { rows: (await this.readers.all(query.sql, query.parameters)) as R[] };
    const connection = await this.main.acquireConnection();
    try {
      return await connection.executeQuery<R>(query);
    } finally {
      await this.main.releaseConnection(connection);
    }
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    if (this.held) {
      yield* this.held.streamQuery<R>(query, chunkSize);
      return;
    }
    const connection = await this.main.acquireConnection();
    try {
      yield* connection.streamQuery<R>(query, chunkSize);
    } finally {
      await this.main.releaseConnection(connection);
    }
  }
}

interface Pending {
  resolve: (rows: unknown[]) => void;
  reject: (error: Error) => void;
}

type Reply =
  | { id: number; rows: unknown[] }
  | { id: number; error: { name: string; message: string; code?: string } };

/** One reader thread and the queries it was given. */
class ReaderThread {
  readonly worker: Worker;
  readonly pending = new Map<number, Pending>();
  gone = false;

  constructor(file: string, mmapSize: number, onGone: (thread: ReaderThread) => void) {
    this.worker = new Worker(new URL('./sqlite-reader.mjs', import.meta.url), {
      workerData: { file, mmapSize },
      // Its objects live for one query: a small young generation keeps each thread's memory low.
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.forget(reply.id);
      if ('error' in reply) waiting.reject(Object.assign(new Error(reply.error.message), reply.error));
      else waiting.resolve(reply.rows.map(withBuffers));
    });
    const fail = (error: Error) => {
      if (this.gone) return;
      this.gone = true;
      onGone(this);
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`A SQLite reader thread exited (code ${code}).`)));
  }

  ask(id: number, sql: string, parameters: readonly unknown[], waiting: Pending): void {
    if (this.pending.size === 0) this.worker.ref(); // an answer awaited keeps the process alive
    this.pending.set(id, waiting);
    this.worker.postMessage({ id, sql, parameters });
  }

  private forget(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
  }
}

/** Bytes come back from a thread as plain Uint8Arrays; the catalog's callers expect Buffers. */
function withBuffers(row: unknown): unknown {
  const record = row as Record<string, unknown>;
  for (const key in record) {
    const value = record[key];
    if (value instanceof Uint8Array && !Buffer.isBuffer(value))
      record[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return record;
}

/**
 * A few reader threads on one SQLite file, started at the first read. Each query goes to the
 * thread with the fewest waiting; a thread that dies fails its queries and is replaced.
 */
export class SqliteReaders {
  private threads: ReaderThread[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly count: number,
    private readonly mmapSize: number,
  ) {}

  all(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new Error('The catalog is closed.'));
    while (this.threads.length < this.count)
      this.threads.push(
        new ReaderThread(this.file, this.mmapSize, (gone) => {
          this.threads = this.threads.filter((t) => t !== gone);
        }),
      );
    let thread = this.threads[0];
    for (const candidate of this.threads)
      if (candidate.pending.size < thread.pending.size) thread = candidate;
    return new Promise((resolve, reject) => thread.ask(this.nextId++, sql, parameters, { resolve, reject }));
  }

  async close(): Promise<void> {
    this.closed = true;
    const threads = this.threads;
    this.threads = [];
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}
