import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { JobName, JobPayload } from '../../jobs/types.js';
import type { Clock } from '../../ports/clock.js';
import {
  type EnqueueOptions,
  FinalJobError,
  type JobHandlers,
  type JobQueue,
  type JobRecord,
  type JobState,
  type WorkOptions,
} from '../../ports/job-queue.js';
import type { Database, JobRow } from '../db/database.js';
import { isUniqueViolation } from '../db/dialect.js';
import { lightSlotCount } from './light-slots.js';

const LEASE_MS = 60_000;
const HEARTBEAT_MS = 15_000;
const POLL_MS = 250;
const BACKOFF_BASE_MS = 2_000;
/** Rows per insert: about 6,000 bound parameters, under SQLite's limit. */
const ENQUEUE_BATCH = 500;

/**
 * A durable queue in the catalog (SQLite or PostgreSQL) with workers in this process.
 * A running job holds a lease it renews; a job whose worker died is taken again once the
 * lease runs out. Claims are conditional updates, so two workers never take one job.
 */
export class LocalJobQueue implements JobQueue {
  private readonly workerId = randomUUID();
  private readonly listeners = new Set<(job: JobRecord) => void>();
  private readonly running = new Map<string, AbortController>();
  private readonly loops: Promise<void>[] = [];
  private stopping = false;
  /** Idle loops waiting for work, by job name; an enqueue wakes that name's loops at once. */
  private readonly waiting = new Map<JobName, Set<() => void>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly options: { defaultMaxAttempts?: number; backoffBaseMs?: number; leaseMs?: number } = {},
  ) {}

  private get leaseMs(): number {
    return this.options.leaseMs ?? LEASE_MS;
  }

  async enqueue<N extends JobName>(
    name: N,
    data: JobPayload<N>,
    options: EnqueueOptions = {},
  ): Promise<string> {
    const row = this.queuedRow(name, data, options, this.clock.now());
    try {
      await this.db.insertInto('jobs').values(row).execute();
    } catch (error) {
      if (!options.key || !isUniqueViolation(error)) throw error;
      const active = await this.db
        .selectFrom('jobs')
        .select('id')
        .where('key', '=', options.key)
        .where('state', 'in', ['queued', 'running'])
        .executeTakeFirst();
      if (active) return active.id;
      return this.enqueue(name, data, options);
    }
    this.wakeLoops(name);
    return row.id;
  }

  /** A job's row as it is first stored: queued, unclaimed, due now unless told otherwise. */
  private queuedRow(name: JobName, data: unknown, options: EnqueueOptions, now: number) {
    return {
      id: randomUUID(),
      name,
      key: options.key ?? null,
      data: JSON.stringify(data),
      state: 'queued' as const,
      maxAttempts: options.maxAttempts ?? this.options.defaultMaxAttempts ?? 3,
      runAfter: options.runAfter ?? now,
      lockedUntil: null,
      lockedBy: null,
      error: null,
      createdAt: now,
      updatedAt: now,
      heavy: options.heavy ? 1 : 0,
    };
  }

  async isActive(name: JobName, key: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('jobs')
      .select('id')
      .where('name', '=', name)
      .where('key', '=', key)
      .where('state', 'in', ['queued', 'running'])
      .executeTakeFirst();
    return row !== undefined;
  }

  async enqueueMany<N extends JobName>(
    name: N,
    jobs: Array<{ data: JobPayload<N>; options?: EnqueueOptions }>,
  ): Promise<string[]> {
    const now = this.clock.now();
    const rows = jobs.map(({ data, options = {} }) => this.queuedRow(name, data, options, now));
    const ids: string[] = rows.map((row) => row.id);
    // One transaction: on SQLite each statement outside one is a commit of its own.
    await this.db.transaction().execute(async (trx) => {
      for (let start = 0; start < rows.length; start += ENQUEUE_BATCH) {
        const batch = rows.slice(start, start + ENQUEUE_BATCH);
        const inserted = await trx
          .insertInto('jobs')
          .values(batch)
          // The target repeats the partial unique index's predicate, literally, so both databases match it.
          .onConflict((oc) =>
            oc.column('key').where(sql<boolean>`state in ('queued', 'running')`).doNothing(),
          )
          .returning('id')
          .execute();
        if (inserted.length === batch.length) continue;
        // A key already queued or running (or earlier in this batch): that job's id is the answer.
        const taken = new Set(inserted.map((row) => row.id));
        const lost = batch.map((row, i) => ({ row, at: start + i })).filter(({ row }) => !taken.has(row.id));
        const active = await trx
          .selectFrom('jobs')
          .select(['id', 'key'])
          .where(
            'key',
            'in',
            lost.map(({ row }) => row.key!),
          )
          .where('state', 'in', ['queued', 'running'])
          .execute();
        const byKey = new Map(active.map((row) => [row.key, row.id]));
        for (const { row, at } of lost) ids[at] = byKey.get(row.key)!;
      }
    });
    if (rows.length > 0) this.wakeLoops(name);
    return ids;
  }

  async get(id: string): Promise<JobRecord | null> {
    const row = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  onChange(listener: (job: JobRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async work(handlers: JobHandlers, options: WorkOptions = {}): Promise<void> {
    this.stopping = false;
    for (const name of Object.keys(handlers) as JobName[]) {
      const concurrency = options.concurrency?.[name] ?? options.defaultConcurrency ?? 1;
      const light = lightSlotCount(concurrency, options.lightSlots?.[name]);
      for (let i = 0; i < concurrency; i++) this.loops.push(this.loop(name, handlers, i < light));
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const controller of this.running.values()) controller.abort(new Error('The queue is stopping.'));
    for (const name of this.waiting.keys()) this.wakeLoops(name);
    await Promise.allSettled(this.loops);
    this.loops.length = 0;
  }

  async drain(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const active = await this.db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('state', 'in', ['queued', 'running'])
        .executeTakeFirstOrThrow();
      if (Number(active.count) === 0) return;
      await sleep(100);
    }
    throw new Error(`Jobs still running after ${timeoutMs} ms.`);
  }

  private async loop(name: JobName, handlers: JobHandlers, lightOnly: boolean): Promise<void> {
    while (!this.stopping) {
      const job = await this.claim(name, lightOnly).catch(() => null);
      if (!job) {
        await this.idle(name);
        continue;
      }
      // A failure to record the outcome (the catalog went away) leaves the lease to run out.
      await this.run(job, handlers[name] as (job: JobRecord, context: never) => Promise<void>).catch(
        () => {},
      );
    }
  }

  private idle(name: JobName): Promise<void> {
    return new Promise<void>((resolve) => {
      const waiters = this.waiting.get(name) ?? new Set<() => void>();
      this.waiting.set(name, waiters);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, POLL_MS);
      waiters.add(done);
    });
  }

  private wakeLoops(name: JobName): void {
    for (const wake of [...(this.waiting.get(name) ?? [])]) wake();
  }

  private async claim(name: JobName, lightOnly: boolean): Promise<JobRecord | null> {
    const now = this.clock.now();
    const candidate = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('name', '=', name)
      .$if(lightOnly, (q) => q.where('heavy', '=', 0))
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'queued'), eb('runAfter', '<=', now)]),
          // A lease that ran out: its worker died.
          eb.and([eb('state', '=', 'running'), eb('lockedUntil', '<', now)]),
        ]),
      )
      .orderBy('runAfter')
      .limit(1)
      .executeTakeFirst();
    if (!candidate) return null;
    if (candidate.state === 'running' && candidate.attempts >= candidate.maxAttempts) {
      // Its worker died on the last attempt: failing it stops a file that kills workers from
      // taking them down one after another.
      const error = `The worker running it stopped ${candidate.attempts} times.`;
      const failed = await this.db
        .updateTable('jobs')
        .set({ state: 'failed', error, lockedBy: null, lockedUntil: null, updatedAt: now })
        .where('id', '=', candidate.id)
        .where('state', '=', 'running')
        .where('attempts', '=', candidate.attempts)
        .executeTakeFirst();
      if (Number(failed.numUpdatedRows) === 1) this.emit({ ...toRecord(candidate), state: 'failed', error });
      return this.claim(name, lightOnly);
    }
    const claimed = await this.db
      .updateTable('jobs')
      .set({
        state: 'running',
        lockedBy: this.workerId,
        lockedUntil: now + this.leaseMs,
        attempts: candidate.attempts + 1,
        updatedAt: now,
      })
      .where('id', '=', candidate.id)
      .where('state', '=', candidate.state)
      .where('attempts', '=', candidate.attempts)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return null;
    return toRecord({ ...candidate, state: 'running', attempts: candidate.attempts + 1 });
  }

  private async run(
    job: JobRecord,
    handler: (job: JobRecord, context: never) => Promise<void>,
  ): Promise<void> {
    const controller = new AbortController();
    this.running.set(job.id, controller);
    const heartbeat = setInterval(
      () => {
        this.db
          .updateTable('jobs')
          .set({ lockedUntil: this.clock.now() + this.leaseMs })
          .where('id', '=', job.id)
          .where('lockedBy', '=', this.workerId)
          .execute()
          .catch(() => {});
      },
      Math.min(HEARTBEAT_MS, this.leaseMs / 3),
    );
    let lastWrite = 0;
    const context = {
      attempt: job.attempts,
      signal: controller.signal,
      progress: async (done: number, total: number) => {
        job.progressDone = done;
        job.progressTotal = total;
        const now = Date.now();
        if (now - lastWrite < 200 && done < total) return;
        lastWrite = now;
        await this.db
          .updateTable('jobs')
          .set({ progressDone: done, progressTotal: total, updatedAt: this.clock.now() })
          .where('id', '=', job.id)
          .where('lockedBy', '=', this.workerId)
          .execute();
        this.emit({ ...job });
      },
    };
    try {
      await handler(job, context as never);
      await this.finish(job, 'done', null);
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      if (controller.signal.aborted && this.stopping) {
        // Stopped, not failed: it runs again at the next start without using up an attempt.
        await this.db
          .updateTable('jobs')
          .set({ state: 'queued', lockedBy: null, lockedUntil: null, attempts: job.attempts - 1 })
          .where('id', '=', job.id)
          .where('lockedBy', '=', this.workerId)
          .execute();
      } else if (job.attempts < job.maxAttempts && !(error instanceof FinalJobError)) {
        const backoff = (this.options.backoffBaseMs ?? BACKOFF_BASE_MS) * 2 ** (job.attempts - 1);
        await this.db
          .updateTable('jobs')
          .set({
            state: 'queued',
            error: message,
            lockedBy: null,
            lockedUntil: null,
            runAfter: this.clock.now() + backoff,
            updatedAt: this.clock.now(),
          })
          .where('id', '=', job.id)
          .where('lockedBy', '=', this.workerId)
          .execute();
        this.emit({ ...job, state: 'queued', error: message });
      } else {
        await this.finish(job, 'failed', message);
      }
    } finally {
      clearInterval(heartbeat);
      this.running.delete(job.id);
    }
  }

  private async finish(job: JobRecord, state: JobState, error: string | null): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ state, error, lockedBy: null, lockedUntil: null, updatedAt: this.clock.now() })
      .where('id', '=', job.id)
      // A worker whose lease ran out (another took the job) no longer decides its outcome.
      .where('lockedBy', '=', this.workerId)
      .execute();
    this.emit({ ...job, state, error });
  }

  private emit(job: JobRecord): void {
    for (const listener of this.listeners) listener(job);
  }
}

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    name: row.name as JobName,
    data: JSON.parse(row.data),
    state: row.state as JobState,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    progressDone: Number(row.progressDone),
    progressTotal: Number(row.progressTotal),
    error: row.error,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
