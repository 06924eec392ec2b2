import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { JOB_NAMES, type JobPayload } from '../../src/jobs/types.js';
import {
  FinalJobError,
  type JobHandler,
  type JobHandlers,
  type JobQueue,
  type JobRecord,
} from '../../src/ports/job-queue.js';
import { until } from '../support/poll.js';

export interface QueueInstanceOptions {
  /** Lease of a running job; a job whose worker stops renewing it is taken again. */
  leaseMs?: number;
  /** Base delay before a retry; doubles with every attempt. */
  backoffMs?: number;
}

export interface QueueInstance {
  queue: JobQueue;
  /**
   * Ends this instance the way a crash would: its connection to the database goes away at once,
   * no job is given back and no lease is renewed.
   */
  kill(): Promise<void>;
}

/** One shared store (a fresh database); every `open` is another process's queue on it. */
export interface QueueHarness {
  open(options?: QueueInstanceOptions): Promise<QueueInstance>;
  close(): Promise<void>;
}

const MOVE: JobPayload<'assets.move'> = { actorId: 'u1', assetIds: ['a1', 'a2'], toFolderPath: '/Day 01' };
const folderMove = (fromPath: string): JobPayload<'folder.move'> => ({
  actorId: 'u1',
  fromPath,
  toPath: '/To',
});

/** Handlers for every job name: the given ones, and a do-nothing handler for the rest. */
function handlersWith(some: Partial<JobHandlers>): JobHandlers {
  const all = Object.fromEntries(JOB_NAMES.map((name) => [name, async () => {}])) as unknown as JobHandlers;
  return { ...all, ...some };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function waitFor<T>(probe: () => Promise<T> | T, timeoutMs = 20_000): Promise<NonNullable<T>> {
  return until(probe, { timeout: timeoutMs, interval: 50 });
}

/**
 * The JobQueue contract. Every adapter (local on SQLite, local on PostgreSQL, pg-boss) runs it
 * against its real database; `makeHarness` gives each test a fresh one.
 */
export function jobQueueContract(label: string, makeHarness: () => Promise<QueueHarness>): void {
  describe(`JobQueue contract: ${label}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });
    async function harness(): Promise<QueueHarness> {
      const h = await makeHarness();
      cleanups.push(() => h.close());
      return h;
    }
    async function open(h: QueueHarness, options?: QueueInstanceOptions): Promise<JobQueue> {
      const { queue } = await h.open(options);
      cleanups.push(() => queue.stop());
      return queue;
    }

    it('runs an enqueued job once with exactly its payload, then reports it done', async () => {
      const queue = await open(await harness());
      const seen: Array<JobRecord<'assets.move'>> = [];
      const handler: JobHandler<'assets.move'> = async (job) => {
        // The handler's payload type is the job's own.
        expectTypeOf(job.data).toEqualTypeOf<JobPayload<'assets.move'>>();
        seen.push(job);
      };
      const id = await queue.enqueue('assets.move', MOVE);
      expect(await queue.get(id)).toMatchObject({ id, name: 'assets.move', state: 'queued', data: MOVE });
      await queue.work(handlersWith({ 'assets.move': handler }));
      await queue.drain(20_000);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ id, name: 'assets.move', data: MOVE, attempts: 1 });
      expect(await queue.get(id)).toMatchObject({ state: 'done', attempts: 1, error: null });
    });

    it('enqueues many jobs at once, deduplicated by key as one at a time would be', async () => {
      const queue = await open(await harness());
      const queued = await queue.enqueue('folder.move', folderMove('/A'), { key: 'A:folder.move' });
      const ids = await queue.enqueueMany('folder.move', [
        { data: folderMove('/A'), options: { key: 'A:folder.move' } },
        { data: folderMove('/B'), options: { key: 'B:folder.move' } },
        { data: folderMove('/B'), options: { key: 'B:folder.move' } },
        { data: folderMove('/C') },
      ]);
      expect(ids).toHaveLength(4);
      expect(ids[0]).toBe(queued);
      expect(ids[2]).toBe(ids[1]);
      expect(new Set(ids).size).toBe(3);
      expect(await queue.get(ids[1])).toMatchObject({ state: 'queued', data: folderMove('/B') });
      expect(await queue.get(ids[3])).toMatchObject({ state: 'queued', data: folderMove('/C') });
      expect(await queue.enqueueMany('folder.move', [])).toEqual([]);
    });

    it('answers null for a job that does not exist', async () => {
      const queue = await open(await harness());
      expect(await queue.get('00000000-0000-4000-8000-000000000000')).toBeNull();
    });

    it('deduplicates by key while a job is queued or running, and not after it finished', async () => {
      const queue = await open(await harness());
      expect(await queue.isActive('folder.move', 'A:folder.move')).toBe(false);
      const first = await queue.enqueue('folder.move', folderMove('/A'), { key: 'A:folder.move' });
      expect(await queue.isActive('folder.move', 'A:folder.move')).toBe(true);
      expect(await queue.isActive('assets.move', 'A:folder.move')).toBe(false);
      const again = await queue.enqueue('folder.move', folderMove('/A'), { key: 'A:folder.move' });
      expect(again).toBe(first);
      const other = await queue.enqueue('folder.move', folderMove('/B'), { key: 'B:folder.move' });
      expect(other).not.toBe(first);

      const release = deferred();
      const started = deferred();
      let runs = 0;
      await queue.work(
        handlersWith({
          'folder.move': async (job) => {
            runs++;
            if (job.data.fromPath === '/A') {
              started.resolve();
              await release.promise;
            }
          },
        }),
      );
      await started.promise;
      expect((await queue.get(first))?.state).toBe('running');
      expect(await queue.isActive('folder.move', 'A:folder.move')).toBe(true);
      expect(await queue.enqueue('folder.move', folderMove('/A'), { key: 'A:folder.move' })).toBe(first);
      release.resolve();
      await queue.drain(20_000);
      expect(runs).toBe(2);
      expect(await queue.isActive('folder.move', 'A:folder.move')).toBe(false);
      const later = await queue.enqueue('folder.move', folderMove('/A'), { key: 'A:folder.move' });
      expect(later).not.toBe(first);
      await queue.drain(20_000);
      expect(runs).toBe(3);
    });

    it('asked for at once while a worker takes the first, a key still gives everyone one job', async () => {
      // The race pg-boss left open: a look that found nothing before the first job was
      // committed, and a send after a worker had taken it (stately queues merge within a state).
      const queue = await open(await harness());
      const ran: string[] = [];
      let release = deferred();
      await queue.work(
        handlersWith({
          'folder.move': async (job) => {
            ran.push(job.data.fromPath);
            await release.promise;
          },
        }),
      );
      for (let round = 0; round < 12; round++) {
        const key = `R${round}:folder.move`;
        const ids = await Promise.all(
          Array.from({ length: 5 }, () => queue.enqueue('folder.move', folderMove(`/R${round}`), { key })),
        );
        expect(new Set(ids).size, `round ${round}: ${ids.join(', ')}`).toBe(1);
        await waitFor(async () => ((await queue.get(ids[0]!))?.state === 'running' ? true : null));
        expect(await queue.enqueue('folder.move', folderMove(`/R${round}`), { key })).toBe(ids[0]);
        release.resolve();
        await queue.drain(30_000);
        release = deferred();
      }
      // One run per key: no second job of a key was left to run after the first.
      expect(ran).toEqual(Array.from({ length: 12 }, (_, r) => `/R${r}`));
    });

    it('retries a failing job with growing backoff, then fails it keeping the error', async () => {
      const queue = await open(await harness(), { backoffMs: 1000 });
      const starts: number[] = [];
      const ends: number[] = [];
      const id = await queue.enqueue('folder.move', folderMove('/A'), { maxAttempts: 3 });
      await queue.work(
        handlersWith({
          'folder.move': async (job, context) => {
            starts.push(Date.now());
            expect(context.attempt).toBe(job.attempts);
            ends.push(Date.now());
            throw new Error(`The lake refused the move (attempt ${job.attempts}).`);
          },
        }),
      );
      const failed = await waitFor(async () => {
        const job = await queue.get(id);
        return job?.state === 'failed' ? job : null;
      }, 30_000);
      expect(failed).toMatchObject({
        attempts: 3,
        maxAttempts: 3,
        error: 'The lake refused the move (attempt 3).',
      });
      expect(starts).toHaveLength(3);
      // About 1 s, then about 2 s: each wait at least the base doubled per attempt.
      expect(starts[1] - ends[0]).toBeGreaterThanOrEqual(900);
      expect(starts[2] - ends[1]).toBeGreaterThanOrEqual(1800);
      await queue.drain(5_000);
    });

    it('fails a job at once, without another attempt, when its handler says retrying is pointless', async () => {
      const queue = await open(await harness(), { backoffMs: 50 });
      let starts = 0;
      const id = await queue.enqueue('folder.move', folderMove('/Final'), { maxAttempts: 3 });
      await queue.work(
        handlersWith({
          'folder.move': async () => {
            starts++;
            throw new FinalJobError('The file is not media; it will not become media by trying again.');
          },
        }),
      );
      const failed = await waitFor(async () => {
        const job = await queue.get(id);
        return job?.state === 'failed' ? job : null;
      }, 30_000);
      expect(failed).toMatchObject({
        attempts: 1,
        error: 'The file is not media; it will not become media by trying again.',
      });
      await queue.drain(5_000);
      expect(starts).toBe(1);
      expect((await queue.get(id))?.state).toBe('failed');
    });

    it('runs a job again after a failure and keeps the error while it waits', async () => {
      const queue = await open(await harness(), { backoffMs: 1000 });
      let calls = 0;
      const id = await queue.enqueue('assets.move', MOVE, { maxAttempts: 3 });
      await queue.work(
        handlersWith({
          'assets.move': async () => {
            calls++;
            if (calls === 1) throw new Error('The lake was busy');
          },
        }),
      );
      const waiting = await waitFor(async () => {
        const job = await queue.get(id);
        return job?.state === 'queued' && job.attempts === 1 ? job : null;
      });
      expect(waiting.error).toBe('The lake was busy');
      await queue.drain(20_000);
      expect(await queue.get(id)).toMatchObject({ state: 'done', attempts: 2 });
    });

    it('runs at most the configured number of jobs of one name at once', async () => {
      const queue = await open(await harness());
      let now = 0;
      let peak = 0;
      let otherNow = 0;
      let otherPeak = 0;
      const busy = (counter: 'assets' | 'folder') => async () => {
        if (counter === 'assets') peak = Math.max(peak, ++now);
        else otherPeak = Math.max(otherPeak, ++otherNow);
        // Deliberate: a job that takes a while, so the ones started together overlap.
        await new Promise((r) => setTimeout(r, 300));
        if (counter === 'assets') now--;
        else otherNow--;
      };
      for (let i = 0; i < 6; i++) await queue.enqueue('assets.move', { ...MOVE, assetIds: [`a${i}`] });
      for (let i = 0; i < 3; i++) await queue.enqueue('folder.move', folderMove(`/F${i}`));
      await queue.work(handlersWith({ 'assets.move': busy('assets'), 'folder.move': busy('folder') }), {
        concurrency: { 'assets.move': 2 },
        defaultConcurrency: 1,
      });
      await queue.drain(30_000);
      expect(peak).toBe(2);
      expect(otherPeak).toBe(1);
    });

    it('keeps a worker for light jobs: a quick job finishes while heavy ones hold the rest', async () => {
      const queue = await open(await harness());
      const release = deferred();
      const started: string[] = [];
      const finished: string[] = [];
      const handler: JobHandler<'folder.move'> = async (job) => {
        started.push(job.data.fromPath);
        if (job.data.fromPath.startsWith('/Heavy')) await release.promise;
        finished.push(job.data.fromPath);
      };
      // Three heavy jobs first: without a light slot they would take both workers.
      const heavy = [];
      for (let i = 0; i < 3; i++)
        heavy.push(await queue.enqueue('folder.move', folderMove(`/Heavy${i}`), { heavy: true }));
      await queue.work(handlersWith({ 'folder.move': handler }), {
        concurrency: { 'folder.move': 2 },
        lightSlots: { 'folder.move': 1 },
      });
      await waitFor(() => started.length === 1 || null);
      const light = await queue.enqueue('folder.move', folderMove('/Light'));
      await waitFor(async () => ((await queue.get(light))?.state === 'done' ? true : null));
      expect(finished).toEqual(['/Light']);
      // One heavy job runs, the others wait: the light worker never took one.
      const states = await Promise.all(heavy.map(async (id) => (await queue.get(id))?.state));
      expect(states.filter((s) => s === 'running')).toHaveLength(1);
      expect(states.filter((s) => s === 'queued')).toHaveLength(2);
      expect((await queue.get(heavy[0]))?.name).toBe('folder.move');
      // A heavy job is deduplicated by key like any other, whichever lane holds it.
      const keyed = await queue.enqueue('folder.move', folderMove('/K'), { key: 'k1', heavy: true });
      expect(await queue.enqueue('folder.move', folderMove('/K'), { key: 'k1' })).toBe(keyed);
      expect(await queue.isActive('folder.move', 'k1')).toBe(true);
      release.resolve();
      await queue.drain(30_000);
      expect(finished.sort()).toEqual(['/Heavy0', '/Heavy1', '/Heavy2', '/K', '/Light']);
    });

    it('never keeps every worker for light jobs: heavy ones still run with one worker', async () => {
      const queue = await open(await harness());
      const id = await queue.enqueue('folder.move', folderMove('/Heavy'), { heavy: true });
      await queue.work(handlersWith({}), {
        concurrency: { 'folder.move': 1 },
        lightSlots: { 'folder.move': 5 },
      });
      await waitFor(async () => ((await queue.get(id))?.state === 'done' ? true : null));
    });

    it('runs again a job whose worker died, on another worker once the lease runs out', async () => {
      const h = await harness();
      const doomed = await h.open({ leaseMs: 2000 });
      const started = deferred();
      const hang = deferred();
      await doomed.queue.work(
        handlersWith({
          'folder.move': async () => {
            started.resolve();
            await hang.promise;
          },
        }),
      );
      const id = await doomed.queue.enqueue('folder.move', folderMove('/A'), { key: 'A:folder.move' });
      await started.promise;
      await doomed.kill();
      cleanups.push(async () => {
        hang.resolve();
        await doomed.queue.stop().catch(() => {});
      });

      const survivor = await open(h, { leaseMs: 2000 });
      const attempts: number[] = [];
      await survivor.work(
        handlersWith({
          'folder.move': async (job) => {
            attempts.push(job.attempts);
          },
        }),
      );
      // While the dead worker's job waits for its lease, the key still deduplicates.
      expect(await survivor.enqueue('folder.move', folderMove('/A'), { key: 'A:folder.move' })).toBe(id);
      await waitFor(async () => (await survivor.get(id))?.state === 'done', 30_000);
      expect(attempts).toEqual([2]);
    });

    it('reports progress while a job runs, to get() and to onChange listeners', async () => {
      const queue = await open(await harness());
      const changes: JobRecord[] = [];
      queue.onChange((job) => changes.push(job));
      const release = deferred();
      const id = await queue.enqueue('assets.move', MOVE);
      await queue.work(
        handlersWith({
          'assets.move': async (_job, context) => {
            await context.progress(1, 4);
            await release.promise;
            await context.progress(4, 4);
          },
        }),
      );
      const midway = await waitFor(async () => {
        const job = await queue.get(id);
        return job?.progressDone === 1 ? job : null;
      });
      expect(midway).toMatchObject({ state: 'running', progressDone: 1, progressTotal: 4 });
      release.resolve();
      await queue.drain(20_000);
      expect(changes.some((c) => c.id === id && c.progressDone === 1 && c.progressTotal === 4)).toBe(true);
      expect(changes.at(-1)).toMatchObject({ id, state: 'done' });
      expect(await queue.get(id)).toMatchObject({ progressDone: 4, progressTotal: 4 });
    });

    it('drains: resolves once nothing is queued or running, and rejects at its timeout', async () => {
      const queue = await open(await harness());
      const release = deferred();
      let done = 0;
      for (let i = 0; i < 3; i++) await queue.enqueue('assets.move', MOVE);
      await queue.enqueue('folder.move', folderMove('/A'));
      await queue.work(
        handlersWith({
          'assets.move': async () => {
            done++;
          },
          'folder.move': async () => {
            await release.promise;
            done++;
          },
        }),
      );
      await expect(queue.drain(700)).rejects.toThrow(/still running/);
      release.resolve();
      await queue.drain(20_000);
      expect(done).toBe(4);
    });

    it('gives a running job back when stopped, and runs it at the next start', async () => {
      const queue = await open(await harness());
      const started = deferred();
      let runs = 0;
      const id = await queue.enqueue('folder.move', folderMove('/A'));
      await queue.work(
        handlersWith({
          'folder.move': async (_job, context) => {
            runs++;
            if (runs === 1) {
              started.resolve();
              await new Promise((_, reject) =>
                context.signal.addEventListener('abort', () => reject(context.signal.reason)),
              );
            }
          },
        }),
      );
      await started.promise;
      await queue.stop();
      expect(await queue.get(id)).toMatchObject({ state: 'queued' });
      await queue.work(handlersWith({ 'folder.move': async () => void runs++ }));
      await queue.drain(20_000);
      expect(runs).toBe(2);
      expect(await queue.get(id)).toMatchObject({ state: 'done', attempts: 1 });
    });
  });
}
