import { vi } from 'vitest';

export interface PollOptions {
  /** Give up after this long (ms). */
  timeout?: number;
  /** Between checks (ms). */
  interval?: number;
  /** What is awaited, for the failure message. */
  what?: string;
}

/**
 * Waits for something to happen: the first truthy answer of `check`, checked every `interval`
 * until `timeout` (vitest's `vi.waitFor`). Every test that waits for a state uses this rather
 * than a fixed sleep, so a fast machine does not wait and a slow one does not fail.
 */
export function until<T>(
  check: () => T | Promise<T>,
  { timeout = 10_000, interval = 25, what = 'a condition' }: PollOptions = {},
): Promise<NonNullable<T>> {
  let last: T | undefined;
  return vi
    .waitFor(
      async () => {
        last = await check();
        if (!last) throw new Error(`still waiting for ${what}`);
        return last as NonNullable<T>;
      },
      { timeout, interval },
    )
    .catch(() => {
      throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    });
}

/** An asset once processing has settled (`ready` or `failed`), as `read` returns it. */
export function untilSettled<A extends { state?: string } | null | undefined>(
  read: () => Promise<A>,
  timeout = 150_000,
): Promise<NonNullable<A>> {
  return until(
    async () => {
      const asset = await read();
      return asset?.state === 'ready' || asset?.state === 'failed' ? asset : null;
    },
    { timeout, interval: 100, what: 'the asset to be ready or failed' },
  ) as Promise<NonNullable<A>>;
}

/**
 * Reads until `done` accepts the value or `timeout` has passed, and gives the last value either
 * way, for a caller that reports what is left (processes still running, jobs not settled)
 * rather than stopping at "timed out".
 */
export async function readUntil<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  { timeout = 10_000, interval = 100 }: Omit<PollOptions, 'what'> = {},
): Promise<T> {
  const deadline = Date.now() + timeout;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, interval));
    value = await read();
  }
  return value;
}

/** For `readUntil`: a list that has emptied. */
export const isEmpty = (list: readonly unknown[]): boolean => list.length === 0;
