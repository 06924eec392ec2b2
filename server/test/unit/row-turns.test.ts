import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

  describe('resting while writes arrive', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    /** A turn that takes `ms` of (fake) time; `log` gets when each started and ended. */
    const timedTurn = (turns: RowTurns, name: string, rows: number, ms: number, log: string[]) =>
      turns.run(rows, async () => {
        log.push(`${name} start ${performance.now()}`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        log.push(`${name} end ${performance.now()}`);
        return name;
      });

    it('holds the rows of a turn for as long again after it, while the next page waits; the page itself is answered at once', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'performance'], now: 0 });
      const writes = { arriving: true };
      const turns = new RowTurns(1000, { restWhile: () => writes.arriving });
      const log: string[] = [];
      const a = timedTurn(turns, 'a', 1000, 80, log);
      const b = timedTurn(turns, 'b', 1000, 40, log);
      await vi.advanceTimersByTimeAsync(80);
      await expect(a).resolves.toBe('a'); // answered when its work ends, not after the rest
      expect(turns.state).toEqual({ inUse: 1000, waiting: 1 });
      await vi.advanceTimersByTimeAsync(79);
      expect(log).toEqual(['a start 0', 'a end 80']);
      await vi.advanceTimersByTimeAsync(1);
      expect(log).toEqual(['a start 0', 'a end 80', 'b start 160']);
      // The writes have stopped by the time b ends: no rest after it.
      writes.arriving = false;
      await vi.advanceTimersByTimeAsync(40);
      await expect(b).resolves.toBe('b');
      expect(turns.state).toEqual({ inUse: 0, waiting: 0 });
    });

    it('rests no longer than a second, however long the turn took, and not at all with no writes', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'performance'], now: 0 });
      const turns = new RowTurns(10, { restWhile: () => true });
      const log: string[] = [];
      void timedTurn(turns, 'slow', 10, 30_000, log);
      const next = timedTurn(turns, 'next', 10, 1, log);
      await vi.advanceTimersByTimeAsync(30_000 + 999);
      expect(log).toEqual(['slow start 0', 'slow end 30000']);
      await vi.advanceTimersByTimeAsync(1);
      expect(log.at(-1)).toBe('next start 31000');
      await vi.advanceTimersByTimeAsync(1);
      await next;

      const t0 = performance.now();
      const quiet = new RowTurns(10, { restWhile: () => false });
      const quietLog: string[] = [];
      void timedTurn(quiet, 'a', 10, 50, quietLog);
      const b = timedTurn(quiet, 'b', 10, 50, quietLog);
      await vi.advanceTimersByTimeAsync(100);
      await b;
      expect(quietLog).toEqual([
        `a start ${t0}`,
        `a end ${t0 + 50}`,
        `b start ${t0 + 50}`,
        `b end ${t0 + 100}`,
      ]);
    });

    it('rests after a failed turn too, and a turn of no time gives its rows back at once', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'performance'], now: 0 });
      const turns = new RowTurns(10, { restWhile: () => true });
      const failing = turns.run(10, async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('failed');
      });
      const caught = expect(failing).rejects.toThrow('failed');
      await vi.advanceTimersByTimeAsync(20);
      await caught;
      expect(turns.state.inUse).toBe(10);
      await vi.advanceTimersByTimeAsync(20);
      expect(turns.state.inUse).toBe(0);
      await turns.run(10, async () => 'instant');
      expect(turns.state.inUse).toBe(0);
    });
  });
});
