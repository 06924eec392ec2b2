import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PgEventBus } from '../../src/adapters/events/pg-event-bus.js';
import type { DailiesEvent } from '../../src/ports/events.js';
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
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
      );
      expect(killed.rowCount).toBe(2);
    } finally {
      await admin.end();
    }
    await until(() => b.errors.length > 0);
    const event: DailiesEvent = { type: 'asset.changed', assetId: 'x2', folderPath: '/' };
    // Publish until the other side listens again: reconnecting takes a moment.
    await until(() => {
      if (b.received.length === 0) a.bus.publish(event);
      return b.received.length > 0;
    }, 10_000);
    expect(b.received[0]).toEqual(event);
  });
});
