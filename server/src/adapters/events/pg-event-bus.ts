import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { DailiesEvent, EventBus } from '../../ports/events.js';

const CHANNEL = 'dailies_events';
/**
 * NOTIFY payloads must stay under 8000 bytes (counted in bytes, not characters). A larger event
 * (a long path) is stored in a table and its row id is sent instead.
 */
const MAX_PAYLOAD = 7900;
/** Where events too large for NOTIFY wait for the listeners to read them; this adapter's own table. */
const PAYLOADS = 'dailies_event_payloads';
/** A stored event older than this was read by every listener that was connected. */
const PAYLOAD_KEEP_SECONDS = 300;

export interface PgEventBusOptions {
  channel?: string;
  onError?: (error: unknown) => void;
  /** First wait before listening again after the connection dropped; doubles up to 30 s. */
  reconnectMs?: number;
}

/**
 * Events across every server and worker on one PostgreSQL: each publish is delivered here at
 * once and sent with NOTIFY to the others, which LISTEN on a connection of their own.
 * Events raised while a listener is reconnecting are lost to it: once it listens again it raises
 * `events.missed` here, and every browser of this server reads again what it shows.
 */
export class PgEventBus implements EventBus {
  private readonly origin = randomUUID();
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private listener: pg.Client | null = null;
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private connected: Promise<void> | null = null;
  /** Sends in the order published, so a stored large event never overtakes or trails the rest. */
  private sending: Promise<unknown> = Promise.resolve();
  /** Received notices in order: one that must fetch its stored event holds up the next. */
  private receiving: Promise<unknown> = Promise.resolve();
  private everListened = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly connectionString: string,
    private readonly options: PgEventBusOptions,
  ) {}

  /** Resolves once this bus listens, so nothing published after it is missed. */
  static async create(pool: pg.Pool, connectionString: string, options: PgEventBusOptions = {}) {
    const bus = new PgEventBus(pool, connectionString, options);
    await ensurePayloadTable(pool);
    await bus.listen();
    return bus;
  }

  private get channel(): string {
    return this.options.channel ?? CHANNEL;
  }

  publish(event: DailiesEvent): void {
    this.emitter.emit('event', event);
    const payload = JSON.stringify({ origin: this.origin, event });
    this.sending = this.sending
      .then(() => this.send(payload))
      .catch((error) => this.options.onError?.(error));
  }

  private async send(payload: string): Promise<void> {
    if (Buffer.byteLength(payload) <= MAX_PAYLOAD) {
      await this.pool.query('SELECT pg_notify($1, $2)', [this.channel, payload]);
      return;
    }
    const table = pg.escapeIdentifier(PAYLOADS);
    const stored = await this.pool.query<{ id: string }>(
      `INSERT INTO ${table} (payload) VALUES ($1) RETURNING id`,
      [payload],
    );
    const id = stored.rows[0]?.id;
    await this.pool.query('SELECT pg_notify($1, $2)', [
      this.channel,
      JSON.stringify({ origin: this.origin, ref: id }),
    ]);
    await this.pool.query(`DELETE FROM ${table} WHERE created_at < now() - make_interval(secs => $1)`, [
      PAYLOAD_KEEP_SECONDS,
    ]);
  }

  subscribe(listener: (event: DailiesEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  /** Resolves when the listening connection is up (again); for tests and start-up. */
  ready(): Promise<void> {
    return this.connected ?? Promise.resolve();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.listener;
    this.listener = null;
    await client?.end().catch(() => {});
  }

  private listen(delayMs = 0): Promise<void> {
    this.connected = new Promise<void>((resolve) => {
      const attempt = async () => {
        if (this.closed) return resolve();
        const client = new pg.Client({ connectionString: this.connectionString });
        const lost = (error?: unknown) => {
          if (this.listener !== client) return;
          this.listener = null;
          if (error) this.options.onError?.(error);
          client.end().catch(() => {});
          if (!this.closed) void this.listen(this.options.reconnectMs ?? 500);
        };
        try {
          client.on('error', lost);
          client.on('end', () => lost());
          client.on('notification', (message) => this.receive(message.payload));
          await client.connect();
          await client.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
          this.listener = client;
          // Listening again after a loss: what was sent meanwhile never reaches this process.
          if (this.everListened) this.emitter.emit('event', { type: 'events.missed' } satisfies DailiesEvent);
          this.everListened = true;
          resolve();
        } catch (error) {
          this.options.onError?.(error);
          client.end().catch(() => {});
          const next = Math.min(30_000, Math.max(delayMs * 2, this.options.reconnectMs ?? 500));
          this.retryTimer = setTimeout(() => {
            delayMs = next;
            void attempt();
          }, next);
        }
      };
      this.retryTimer = setTimeout(() => void attempt(), delayMs);
    });
    return this.connected;
  }

  private receive(payload: string | undefined): void {
    if (!payload) return;
    this.receiving = this.receiving
      .then(async () => {
        const notice = JSON.parse(payload) as { origin: string; event?: DailiesEvent; ref?: string };
        if (notice.origin === this.origin) return;
        const event = notice.event ?? (notice.ref !== undefined ? await this.stored(notice.ref) : undefined);
        if (event) this.emitter.emit('event', event);
      })
      .catch((error) => this.options.onError?.(error));
  }

  /** A large event by its row id; gone (a listener far behind) is an error, reported. */
  private async stored(id: string): Promise<DailiesEvent> {
    const { rows } = await this.pool.query<{ payload: string }>(
      `SELECT payload FROM ${pg.escapeIdentifier(PAYLOADS)} WHERE id = $1`,
      [id],
    );
    if (!rows[0]) throw new Error(`The stored event ${id} is gone before this server read it.`);
    return (JSON.parse(rows[0].payload) as { event: DailiesEvent }).event;
  }
}

/**
 * The table of large events, made by whichever process comes first; several starting at once
 * take turns (CREATE TABLE IF NOT EXISTS alone can still collide on the type it makes).
 */
async function ensurePayloadTable(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`dailies:${PAYLOADS}`]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${pg.escapeIdentifier(PAYLOADS)} (
         id bigserial PRIMARY KEY,
         payload text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
