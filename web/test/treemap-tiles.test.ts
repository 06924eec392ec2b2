import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REST_TILE_ID, treemapTiles } from '../src/features/storage/lib/treemap-tiles';

const items = fc.array(
  fc.record({ id: fc.uuid(), label: fc.string(), value: fc.oneof(fc.constant(0), fc.nat({ max: 2 ** 40 })) }),
  { maxLength: 400 },
);

describe('treemap tiles', () => {
  it('keeps every byte, at most `max` tiles, and the largest items as their own tiles', () => {
    fc.assert(
      fc.property(items, fc.integer({ min: 1, max: 60 }), (list, max) => {
        const tiles = treemapTiles(list, max);
        const total = (xs: Array<{ value: number }>) => xs.reduce((s, x) => s + x.value, 0);
        expect(total(tiles)).toBe(total(list));
        expect(tiles.length).toBeLessThanOrEqual(max);
        expect(tiles.every((t) => t.value > 0)).toBe(true);
        const own = tiles.filter((t) => t.id !== REST_TILE_ID);
        const nonEmpty = list.filter((i) => i.value > 0);
        if (nonEmpty.length <= max) expect(own).toHaveLength(nonEmpty.length);
        else {
          // Nothing left in the rest is bigger than a tile kept on its own.
          const smallestKept = Math.min(...own.map((t) => t.value));
          const keptIds = new Set(own.map((t) => t.id));
          for (const i of nonEmpty) if (!keptIds.has(i.id)) expect(i.value).toBeLessThanOrEqual(smallestKept);
          expect(tiles.at(-1)?.label).toBe(`${(nonEmpty.length - own.length).toLocaleString('en')} others`);
        }
      }),
    );
  });

  it('draws 5,000 day folders as 150 tiles', () => {
    const days = Array.from({ length: 5000 }, (_, i) => ({ id: `d${i}`, label: `Day ${i}`, value: i + 1 }));
    const tiles = treemapTiles(days, 150);
    expect(tiles).toHaveLength(150);
    expect(tiles[0]).toMatchObject({ id: 'd4999', value: 5000 });
    expect(tiles[149]).toMatchObject({ id: REST_TILE_ID, label: '4,851 others' });
  });
});
