import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Scheduler } from '../../src/features/system/scheduler.js';

describe('the scheduler of periodic work', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs a task every interval, never twice at once, and logs a failure without stopping', async () => {
    const log = vi.fn();
    const scheduler = new Scheduler(log);
    let runs = 0;
    let release: () => void = () => {};
    scheduler.every('slow', 1000, () => {
      runs++;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    let failures = 0;
    scheduler.every('failing', 1000, async () => {
      failures++;
      throw new Error('disk gone');
    });
    await vi.advanceTimersByTimeAsync(3500);
    // The slow task is still running: later turns wait for it.
    expect(runs).toBe(1);
    expect(failures).toBe(3);
    expect(log).toHaveBeenCalledWith('failing failed', expect.objectContaining({ message: 'disk gone' }));
    release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(2);
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(2);
    expect(failures).toBe(4);
  });

  it('an interval of 0, a negative or NaN one turns the task off', async () => {
    const scheduler = new Scheduler(() => {});
    const task = vi.fn(async () => {});
    for (const interval of [0, -5, Number.NaN]) scheduler.every('off', interval, task);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(task).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});
