import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PgEventBus } from '../../src/adapters/events/pg-event-bus.js';
import type { DailiesEvent } from '../../src/ports/events.js';
import { cutListenConnections } from '../support/cut-listeners.js';
import { dropTestDatabase } from '../support/drop-database.js';
import { until as poll } from '../support/poll.js';
import { testDatabaseUrl } from '../support/services.js';

// Real: two buses (two servers) with their own pools on one fresh test database.
describe('PgEventBus', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function twoServers() {
    const url = await testDatabaseUrl();
    cleanups.push(() => dropTestDatabase(url));
    const open = async () => {
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      const errors: unknown[] = [];
      const bus = await PgEventBus.create(pool, url, { reconnectMs: 100, onError: (e) => errors.push(e) });
      const received: DailiesEvent[] = [];
      bus.subscribe((event) => received.push(event));
      cleanups.push(async () => {
        await bus.close();
        await pool.end();
      });
      return { bus, pool, received, errors };
    };
    return { url, a: await open(), b: await open() };
  }

  const until = (check: () => boolean, timeout = 5000) => poll(check, { timeout, interval: 20 });

  it('delivers an event raised on one server to the other, and once to its own subscribers', async () => {
    const { a, b } = await twoServers();
    const event: DailiesEvent = { type: 'asset.created', assetId: 'x1', folderPath: '/Day 01' };
    a.bus.publish(event);
    expect(a.received).toEqual([event]);
    await until(() => b.received.length === 1);
    expect(b.received).toEqual([event]);
    b.bus.publish({ type: 'folder.deleted', folderPath: '/Old' });
    await until(() => a.received.length === 2);
    // Notifications reach every listener in commit order. Each marker is sent after the other
    // bus saw the events before it, so a stray echo would arrive before the marker does.
    const markerA: DailiesEvent = { type: 'folder.changed', folderPath: '/marker a' };
    const markerB: DailiesEvent = { type: 'folder.changed', folderPath: '/marker b' };
    a.bus.publish(markerA);
    await until(() => b.received.length === 3);
    b.bus.publish(markerB);
    await until(() => a.received.length === 4);
    const all = [event, { type: 'folder.deleted', folderPath: '/Old' }, markerA, markerB];
    expect(a.received).toEqual(all);
    expect(b.received).toEqual(all);
  });

  it('listens again after its connection is cut, and later events arrive', async () => {
    const { url, a, b } = await twoServers();
    expect(await cutListenConnections(url)).toBe(2);
    await until(() => b.errors.length > 0);
    // Once it listens again, the server tells its own subscribers (the browsers) to read again.
    await until(() => b.received.some((e) => e.type === 'events.missed'), 10_000);
    expect(b.received[0]).toEqual({ type: 'events.missed' });
    const event: DailiesEvent = { type: 'asset.changed', assetId: 'x2', folderPath: '/' };
    // Publish until the other side listens again: reconnecting takes a moment.
    await until(() => {
      if (!b.received.some((e) => e.type === 'asset.changed')) a.bus.publish(event);
      return b.received.some((e) => e.type === 'asset.changed');
    }, 10_000);
    expect(b.received.find((e) => e.type === 'asset.changed')).toEqual(event);
    // Never sent between servers: each raises its own.
    expect(b.received.filter((e) => e.type === 'events.missed')).toHaveLength(1);
  });

  it("passes events over NOTIFY's limit by reference, in order with the small ones around them", async () => {
    const { url, a, b } = await twoServers();
    // 3,000 characters of three bytes each: 9,000 bytes, though a JavaScript length of 3,000.
    const wide = `/${'日'.repeat(3000)}`;
    const long = `/${'Day 01/'.repeat(2000)}`;
    const events: DailiesEvent[] = [
      { type: 'folder.created', folderPath: '/before' },
      { type: 'folder.created', folderPath: wide },
      { type: 'asset.created', assetId: 'x3', folderPath: long },
      { type: 'folder.created', folderPath: '/after' },
    ];
    for (const event of events) a.bus.publish(event);
    await until(() => b.received.length === 4);
    expect(b.received).toEqual(events);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    // Stored rows are the adapter's own, and old ones are cleared by later large sends.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const { rows } = await admin.query('SELECT count(*)::int AS n FROM dailies_event_payloads');
      expect(rows[0].n).toBe(2);
      await admin.query("UPDATE dailies_event_payloads SET created_at = now() - interval '1 hour'");
      a.bus.publish({ type: 'folder.created', folderPath: long });
      await until(() => b.received.length === 5);
      // The clearing runs beside the send: poll the table until only the new row is left.
      await poll(
        async () =>
          (await admin.query('SELECT count(*)::int AS n FROM dailies_event_payloads')).rows[0].n === 1,
        { timeout: 5000, interval: 20, what: 'the old payload rows to be cleared' },
      );
    } finally {
      await admin.end();
    }
  });

  it('several buses starting at once on an empty database all come up', async () => {
    const url = await testDatabaseUrl();
    cleanups.push(() => dropTestDatabase(url));
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: url, max: 2 }));
    const buses = await Promise.all(pools.map((pool) => PgEventBus.create(pool, url)));
    cleanups.push(async () => {
      for (const bus of buses) await bus.close();
      for (const pool of pools) await pool.end();
    });
    expect(buses).toHaveLength(4);
  });
});
