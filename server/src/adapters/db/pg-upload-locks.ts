import pg from 'pg';
import { type LockKind, type SharedLocks, UploadLockTable } from '../uploads/upload-locks.js';

/** The first key of the two-key advisory locks ('tus' and a kind), apart from the one-key locks of advisory-lock.ts. */
const KIND_KEYS: Record<LockKind, number> = { write: 0x74757301, finish: 0x74757302 };
/** Where a request that wants a lock held on another server asks its holder to let go. */
const RELEASE_CHANNEL = 'dailies_upload_release';

/**
 * Upload locks shared through PostgreSQL: session advisory locks on one connection of this
 * process's own (not the pool's: a lock is held for a whole PATCH, which would starve the pool).
 * When that connection ends (a killed server, a restart of the database), PostgreSQL drops its
 * locks; this process then stops the requests that held them.
 */
class PgSharedLocks implements SharedLocks {
  private client: Promise<pg.Client> | null = null;
  /** The connection in use once connected; its end is noticed only once. */
  private live: pg.Client | null = null;
  private closed = false;
  /** One query at a time on the connection (pg queues them, but that use is deprecated). */
  private turn: Promise<unknown> = Promise.resolve();
  table!: UploadLockTable;

  constructor(private readonly databaseUrl: string) {}

  async tryLock(kind: LockKind, key: string): Promise<boolean> {
    const rows = await this.query('select pg_try_advisory_lock($1, hashtext($2)) as got', [
      KIND_KEYS[kind],
      key,
    ]);
    return rows[0].got === true;
  }

  async unlock(kind: LockKind, key: string): Promise<void> {
    await this.query('select pg_advisory_unlock($1, hashtext($2))', [KIND_KEYS[kind], key]);
  }

  async askRelease(kind: LockKind, key: string): Promise<void> {
    await this.query('select pg_notify($1, $2)', [RELEASE_CHANNEL, JSON.stringify({ kind, key })]);
  }

  private query(sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>> {
    const run = this.turn.then(async () => (await (await this.connection()).query(sql, params)).rows);
    this.turn = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    this.live = null;
    if (client) await (await client.catch(() => null))?.end().catch(() => {});
  }

  /** The pid of the backend holding this process's locks (tests end it to play a dying holder). */
  async backendPid(): Promise<number> {
    return (await this.query('select pg_backend_pid() as pid', []))[0].pid as number;
  }

  private connection(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error('The upload locks are closed.'));
    this.client ??= this.connect();
    return this.client;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    const lost = () => {
      if (this.live !== client) return;
      this.live = null;
      this.client = null;
      this.table.sharedLost();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.channel !== RELEASE_CHANNEL || !message.payload) return;
      try {
        const { kind, key } = JSON.parse(message.payload) as { kind: LockKind; key: string };
        if (kind in KIND_KEYS && typeof key === 'string') this.table.releaseRequested(kind, key);
      } catch {
        // Not one of ours.
      }
    });
    try {
      await client.connect();
      await client.query(`listen ${RELEASE_CHANNEL}`);
      this.live = client;
    } catch (error) {
      this.client = null;
      await client.end().catch(() => {});
      throw error;
    }
    return client;
  }
}

export class PgUploadLocks extends UploadLockTable {
  private readonly pg: PgSharedLocks;

  constructor(databaseUrl: string, options: { timeoutMs?: number } = {}) {
    const shared = new PgSharedLocks(databaseUrl);
    super(shared, options.timeoutMs);
    shared.table = this;
    this.pg = shared;
  }

  backendPid(): Promise<number> {
    return this.pg.backendPid();
  }

  override async close(): Promise<void> {
    await this.pg.close();
  }
}
