/** headMany: every key headed once, answers in the keys' order, never more than 16 in flight. */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { HEADS_IN_FLIGHT, headMany } from '../../src/features/indexing/head-many.js';
import type { StoredObject } from '../../src/ports/object-store.js';

/** A lake whose heads answer after a random few ms, counting how many are in flight. */
function slowLake(present: Set<string>, delays: number[]) {
  let inFlight = 0;
  let most = 0;
  const asked: string[] = [];
  const lake = {
    async head(key: string): Promise<StoredObject | null> {
      asked.push(key);
      inFlight++;
      most = Math.max(most, inFlight);
      // A real wait, of a different length per call, so the answers come back out of order.
      await new Promise((r) => setTimeout(r, delays[asked.length % delays.length]));
      inFlight--;
      return present.has(key) ? { key, size: key.length, mtime: 0, etag: key } : null;
    },
  };
  return { lake, asked, most: () => most };
}

it('heads each key once and answers in the order of the keys, whatever order the store answers in', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 60 }),
      fc.func(fc.boolean()),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 7 }),
      async (keys, isThere, delays) => {
        const present = new Set(keys.filter((k) => isThere(k)));
        const { lake, asked, most } = slowLake(present, delays);
        const heads = await headMany(lake, keys);
        expect(heads.map((h) => h?.key ?? null)).toEqual(keys.map((k) => (present.has(k) ? k : null)));
        expect([...asked].sort()).toEqual([...keys].sort());
        expect(most()).toBeLessThanOrEqual(HEADS_IN_FLIGHT);
      },
    ),
    { numRuns: 40 },
  );
});

it('keeps 16 heads in flight on a long list, and asks nothing of an empty one', async () => {
  const keys = Array.from({ length: 100 }, (_, i) => `Day 01/clip-${i}.mov`);
  const { lake, most } = slowLake(new Set(keys), [2]);
  expect((await headMany(lake, keys)).every((h) => h !== null)).toBe(true);
  expect(most()).toBe(HEADS_IN_FLIGHT);
  const idle = slowLake(new Set(), [1]);
  expect(await headMany(idle.lake, [])).toEqual([]);
  expect(idle.asked).toEqual([]);
});
