import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DailiesEvent, EventBus } from '../../src/ports/events.js';

/** Two ends of one bus: where events are published and where another process listens. */
export interface EventBusPair {
  publisher: EventBus;
  /** The publisher itself for a bus within one process; another server's bus otherwise. */
  subscriber: EventBus;
  close(): Promise<void>;
}

const WAIT = { timeout: 10_000, interval: 20 };

/**
 * The EventBus contract (`ports/events.ts`). Every implementation (in memory, PostgreSQL
 * LISTEN/NOTIFY) runs it: an event reaches the subscriber and the publisher's own subscribers
 * exactly once, one publisher's events arrive in the order published, an event larger than a
 * NOTIFY payload (8000 bytes) arrives whole, and a subscriber that left gets nothing more.
 * "Nothing more" is checked against a marker event sent after: events of one publisher arrive
 * in order, so once the marker is in, anything wrongly delivered before it would be too.
 */
export function eventBusContract(label: string, open: () => Promise<EventBusPair>): void {
  describe(`EventBus contract: ${label}`, () => {
    const pairs: EventBusPair[] = [];
    afterEach(async () => {
      for (const pair of pairs.splice(0)) await pair.close();
    });
    async function pair(): Promise<EventBusPair & { local: DailiesEvent[]; remote: DailiesEvent[] }> {
      const opened = await open();
      pairs.push(opened);
      const local: DailiesEvent[] = [];
      const remote: DailiesEvent[] = [];
      opened.publisher.subscribe((e) => local.push(e));
      if (opened.subscriber !== opened.publisher) opened.subscriber.subscribe((e) => remote.push(e));
      return { ...opened, local, remote: opened.subscriber === opened.publisher ? local : remote };
    }
    const marker = (n: number): DailiesEvent => ({ type: 'folder.changed', folderPath: `/marker ${n}` });

    it('delivers an event to the subscriber, and once to the publisher itself', async () => {
      const bus = await pair();
      const event: DailiesEvent = { type: 'asset.created', assetId: 'a1', folderPath: '/Day 01' };
      bus.publisher.publish(event);
      bus.publisher.publish(marker(1));
      await vi.waitFor(() => expect(bus.remote).toEqual([event, marker(1)]), WAIT);
      // No echo of its own events comes back to the publisher.
      bus.subscriber.publish(marker(2));
      await vi.waitFor(() => expect(bus.local.at(-1)).toEqual(marker(2)), WAIT);
      expect(bus.local).toEqual([event, marker(1), marker(2)]);
    });

    it("keeps one publisher's events in the order they were published", async () => {
      const bus = await pair();
      const events: DailiesEvent[] = Array.from({ length: 300 }, (_, i) => ({
        type: 'asset.changed',
        assetId: `a${i}`,
        folderPath: '/',
      }));
      for (const event of events) bus.publisher.publish(event);
      await vi.waitFor(() => expect(bus.remote).toHaveLength(events.length), WAIT);
      expect(bus.remote).toEqual(events);
    });

    it('delivers an event larger than 8000 bytes whole, between small ones, in order', async () => {
      const bus = await pair();
      // Multi-byte characters and a surrogate pair, so parts cannot be counted in characters alone.
      const folderPath = `/${'Ünïcødé 🎬 '.repeat(2500)}`;
      const large: DailiesEvent = { type: 'folder.created', folderPath };
      expect(Buffer.byteLength(JSON.stringify(large))).toBeGreaterThan(30_000);
      bus.publisher.publish(marker(1));
      bus.publisher.publish(large);
      bus.publisher.publish(marker(2));
      await vi.waitFor(() => expect(bus.remote).toHaveLength(3), WAIT);
      expect(bus.remote).toEqual([marker(1), large, marker(2)]);
    });

    it('a subscriber that leaves gets nothing more; the others go on', async () => {
      const bus = await pair();
      const left: DailiesEvent[] = [];
      const stays: DailiesEvent[] = [];
      const leave = bus.subscriber.subscribe((e) => left.push(e));
      bus.subscriber.subscribe((e) => stays.push(e));
      bus.publisher.publish(marker(1));
      await vi.waitFor(() => expect(left).toEqual([marker(1)]), WAIT);
      leave();
      leave();
      const after: DailiesEvent = { type: 'asset.deleted', assetId: 'gone', folderPath: '/' };
      bus.publisher.publish(after);
      bus.publisher.publish(marker(2));
      await vi.waitFor(() => expect(stays).toEqual([marker(1), after, marker(2)]), WAIT);
      expect(left).toEqual([marker(1)]);
    });
  });
}
