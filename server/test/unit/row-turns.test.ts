import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowTurns } from '../../src/lib/row-turns.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('row turns', () => {
  it('runs work up to the capacity at once and the rest in arrival order', async () => {
    const turns = new RowTurns(1000);
    const started: string[] = [];
    const finish = new Map<string, () => void>();
    const job = (name: string, rows: number) =>
      turns.run(rows, () => {
        started.push(name);
        return new Promise<void>((resolve) => finish.set(name, resolve));
      });
    const all = [job('a', 600), job('b', 400), job('c', 1000), job('d', 1)];
    await tick();
    expect(started).toEqual(['a', 'b']);
    expect(turns.state).toEqual({ inUse: 1000, waiting: 2 });
    finish.get('a')!();
    await tick();
    expect(started).toEqual(['a', 'b']); // c needs the whole capacity; d, small, does not jump it
    finish.get('b')!();
    await tick();
    expect(started).toEqual(['a', 'b', 'c']);
    finish.get('c')!();
    await tick();
    finish.get('d')!();
    await Promise.all(all);
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(turns.state).toEqual({ inUse: 0, waiting: 0 });
  });

  it('gives the turn back when the work fails', async () => {
    const turns = new RowTurns(10);
    await expect(turns.run(10, async () => Promise.reject(new Error('failed')))).rejects.toThrow('failed');
    await expect(turns.run(10, async () => 'next')).resolves.toBe('next');
    expect(turns.state.inUse).toBe(0);
  });

  it('counts huge, zero, negative and NaN sizes within bounds', async () => {
    const turns = new RowTurns(100);
    for (const rows of [Number.POSITIVE_INFINITY, 1e300, 0, -5, Number.NaN, 0.2]) {
      await turns.run(rows, async () => {
        expect(turns.state.inUse).toBeGreaterThanOrEqual(1);
        expect(turns.state.inUse).toBeLessThanOrEqual(100);
      });
    }
    expect(() => new RowTurns(0)).toThrow(RangeError);
    expect(() => new RowTurns(Number.NaN)).toThrow(RangeError);
  });

  it('never holds more than its capacity, finishes everything, and starts in arrival order (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.tuple(fc.integer({ min: -5, max: 80 }), fc.integer({ min: 0, max: 3 })), {
          maxLength: 30,
        }),
        async (capacity, jobs) => {
          const turns = new RowTurns(capacity);
          const order: number[] = [];
          let peak = 0;
          await Promise.all(
            jobs.map(([rows, ticks], i) =>
              turns.run(rows, async () => {
                order.push(i);
                peak = Math.max(peak, turns.state.inUse);
                for (let t = 0; t < ticks; t++) await tick();
              }),
            ),
          );
          expect(peak).toBeLessThanOrEqual(capacity);
          expect(order).toEqual(jobs.map((_, i) => i));
          expect(turns.state).toEqual({ inUse: 0, waiting: 0 });
        },
      ),
      { numRuns: 100 },
    );
  });
});
