import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { DailiesEvent, EventBus } from '../../ports/events.js';

const CHANNEL = 'dailies_events';
/** NOTIFY payloads must stay under 8000 bytes; events are far smaller. */
const MAX_PAYLOAD = 7900;

export interface PgEventBusOptions {
  channel?: string;
  onError?: (error: unknown) => void;
  /** First wait before listening again after the connection dropped; doubles up to 30 s. */
  reconnectMs?: number;
}

/**
 * Events across every server and worker on one PostgreSQL: each publish is delivered here at
 * once and sent with NOTIFY to the others, which LISTEN on a connection of their own.
 * Events raised while a listener is reconnecting are lost to it; clients refetch on reconnect.
 */
export class PgEventBus implements EventBus {
  private readonly origin = randomUUID();
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private listener: pg.Client | null = null;
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private connected: Promise<void> | null = null;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly connectionString: string,
    private readonly options: PgEventBusOptions,
  ) {}

  /** Resolves once this bus listens, so nothing published after it is missed. */
  static async create(pool: pg.Pool, connectionString: string, options: PgEventBusOptions = {}) {
    const bus = new PgEventBus(pool, connectionString, options);
    await bus.listen();
    return bus;
  }

  private get channel(): string {
    return this.options.channel ?? CHANNEL;
  }

  publish(event: DailiesEvent): void {
    this.emitter.emit('event', event);
    const payload = JSON.stringify({ origin: this.origin, event });
    if (payload.length > MAX_PAYLOAD) {
      this.options.onError?.(
        new Error(`An event of ${payload.length} bytes is too large to send to other servers.`),
      );
      return;
    }
    this.pool
      .query('SELECT pg_notify($1, $2)', [this.channel, payload])
      .catch((error) => this.options.onError?.(error));
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
    try {
      const { origin, event } = JSON.parse(payload) as { origin: string; event: DailiesEvent };
      if (origin !== this.origin) this.emitter.emit('event', event);
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
