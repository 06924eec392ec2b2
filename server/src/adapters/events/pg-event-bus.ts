import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { DailiesEvent, EventBus } from '../../ports/events.js';

const CHANNEL = 'dailies_events';
/** NOTIFY payloads must stay under 8000 bytes: a larger event goes as parts of one transaction. */
const MAX_PAYLOAD = 7900;
/** Characters of an event per part: at most 3 bytes each in UTF-8, with room for the envelope. */
const PART_CHARS = 2400;
/** Events being put together from parts; a sender that died mid-way leaves one behind at most. */
const MAX_PENDING = 100;

/** One NOTIFY: a whole event, or one part of a large one (`part`). */
type Envelope =
  | { origin: string; event: DailiesEvent }
  | { origin: string; part: { id: number; index: number; count: number; data: string } };

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
 * One bus sends its events one after the other, so every listener gets them in the order they
 * were published (notifications arrive in commit order); an event too large for one NOTIFY is
 * sent as parts in one transaction, which PostgreSQL delivers together and in order.
 */
export class PgEventBus implements EventBus {
  private readonly origin = randomUUID();
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private listener: pg.Client | null = null;
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private connected: Promise<void> | null = null;
  /** The sends of this bus, one after another. */
  private sending: Promise<void> = Promise.resolve();
  private sent = 0;
  private readonly pending = new Map<string, string[]>();

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
    const whole = JSON.stringify({ origin: this.origin, event } satisfies Envelope);
    const payloads = Buffer.byteLength(whole) <= MAX_PAYLOAD ? [whole] : this.parts(JSON.stringify(event));
    this.sending = this.sending
      .then(() => this.notify(payloads))
      .catch((error) => this.options.onError?.(error));
  }

  private parts(data: string): string[] {
    const id = ++this.sent;
    const count = Math.ceil(data.length / PART_CHARS);
    return Array.from({ length: count }, (_, index) =>
      JSON.stringify({
        origin: this.origin,
        part: { id, index, count, data: data.slice(index * PART_CHARS, (index + 1) * PART_CHARS) },
      } satisfies Envelope),
    );
  }

  private async notify(payloads: string[]): Promise<void> {
    if (payloads.length === 1) {
      await this.pool.query('SELECT pg_notify($1, $2)', [this.channel, payloads[0]]);
      return;
    }
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const payload of payloads) await client.query('SELECT pg_notify($1, $2)', [this.channel, payload]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
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
      const envelope = JSON.parse(payload) as Envelope;
      if (envelope.origin === this.origin) return;
      if ('event' in envelope) {
        this.emitter.emit('event', envelope.event);
        return;
      }
      const { id, index, count, data } = envelope.part;
      const key = `${envelope.origin}:${id}`;
      const parts = this.pending.get(key) ?? [];
      parts[index] = data;
      this.pending.set(key, parts);
      if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
      if (parts.filter((p) => p !== undefined).length < count) return;
      this.pending.delete(key);
      this.emitter.emit('event', JSON.parse(parts.join('')) as DailiesEvent);
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
