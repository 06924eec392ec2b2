import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import PgBoss from 'pg-boss';
import { JOB_NAMES, type JobName, type JobPayload } from '../../jobs/types.js';
import {
  type EnqueueOptions,
  FinalJobError,
  type JobHandlers,
  type JobQueue,
  type JobRecord,
  type JobState,
  type WorkOptions,
} from '../../ports/job-queue.js';
import { lightSlotCount } from './light-slots.js';

const LEASE_MS = 60_000;
const POLL_MS = 1_000;
const BACKOFF_BASE_MS = 2_000;
const SCHEMA = 'pgboss';

export interface PgBossQueueOptions {
  defaultMaxAttempts?: number;
  /** First retry waits about this long, doubling each time (pg-boss counts whole seconds, with jitter). */
  backoffBaseMs?: number;
  /** A running job whose worker stops renewing this lease is taken again (or failed on its last attempt). */
  leaseMs?: number;
  /** How often an idle worker asks for work; an enqueue in this process wakes it at once. */
  pollMs?: number;
  schema?: string;
  onError?: (error: unknown) => void;
}

interface BossRow {
  id: string;
  name: string;
  data: unknown;
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
  retryLimit: number;
  retryCount: number;
  output: {
    message?: string;
    /** pg-boss's own failures (expiry) put the message here. */
    value?: { message?: string };
    progressDone?: number;
    progressTotal?: number;
  } | null;
  createdOn: Date;
  startedOn: Date | null;
  completedOn: Date | null;
}

/**
 * The job queue on pg-boss 10 (PostgreSQL), for many servers and `dailies worker` processes.
 *
 * pg-boss keeps the jobs, their retries with backoff, dedupe (`stately` queues: one job per key
 * in each of created, retry and active) and expiry. Workers here fetch and complete jobs
 * themselves rather than through `boss.work()`, because pg-boss 10 has no heartbeat: a job's
 * lease is its `expire_in`, which a running worker extends, so a long proxy is never expired
 * while a job whose worker died is taken again within one lease.
 */
export class PgBossJobQueue implements JobQueue {
  private readonly listeners = new Set<(job: JobRecord) => void>();
  private readonly running = new Map<string, AbortController>();
  private readonly loops: Promise<void>[] = [];
  private readonly waiting = new Map<JobName, Set<() => void>>();
  private readonly queues = new Set<string>();
  private stopping = false;

  private constructor(
    private readonly boss: PgBoss,
    private readonly pool: pg.Pool,
    private readonly options: PgBossQueueOptions,
  ) {}

  /** Installs or migrates pg-boss's schema in the catalog's database and creates every queue. */
  static async create(pool: pg.Pool, options: PgBossQueueOptions = {}): Promise<PgBossJobQueue> {
    const leaseSeconds = Math.max(1, Math.round((options.leaseMs ?? LEASE_MS) / 1000));
    const boss = new PgBoss({
      db: { executeSql: (text, values) => pool.query(text, values) },
      schema: options.schema ?? SCHEMA,
      schedule: false,
      supervise: true,
      // Expiry (a dead worker's lease) is found by maintenance, so it runs about twice a lease.
      maintenanceIntervalSeconds: Math.min(60, Math.max(1, Math.floor(leaseSeconds / 2))),
    });
    boss.on('error', (error) => options.onError?.(error));
    await boss.start();
    const queue = new PgBossJobQueue(boss, pool, options);
    for (const name of JOB_NAMES) {
      await queue.ensureQueue(name);
      await queue.ensureQueue(heavyQueue(name));
    }
    return queue;
  }

  private get schema(): string {
    return this.options.schema ?? SCHEMA;
  }

  private get leaseSeconds(): number {
    return Math.max(1, Math.round((this.options.leaseMs ?? LEASE_MS) / 1000));
  }

  private async ensureQueue(name: string): Promise<void> {
    if (this.queues.has(name)) return;
    await this.boss.createQueue(name, { name, policy: 'stately' });
    this.queues.add(name);
  }

  /** One at a time: pg-boss's bulk insert neither deduplicates by key nor answers the ids. */
  async enqueueMany<N extends JobName>(
    name: N,
    jobs: Array<{ data: JobPayload<N>; options?: EnqueueOptions }>,
  ): Promise<string[]> {
    const ids: string[] = [];
    for (const { data, options } of jobs) ids.push(await this.enqueue(name, data, options));
    return ids;
  }

  async enqueue<N extends JobName>(
    name: N,
    data: JobPayload<N>,
    options: EnqueueOptions = {},
  ): Promise<string> {
    const queue = options.heavy ? heavyQueue(name) : name;
    await this.ensureQueue(queue);
    if (options.key) {
      const active = await this.activeWithKey(name, options.key);
      if (active) return active;
    }
    const id = randomUUID();
    const maxAttempts = options.maxAttempts ?? this.options.defaultMaxAttempts ?? 3;
    const sent = await this.boss.send(queue, data as object, {
      id,
      // A stately queue allows one job per key and state; a job without a key gets its own.
      singletonKey: options.key ?? `job:${id}`,
      retryLimit: maxAttempts - 1,
      // Whole seconds; under half a second means at once.
      retryDelay: Math.round((this.options.backoffBaseMs ?? BACKOFF_BASE_MS) / 1000),
      retryBackoff: true,
      expireInSeconds: this.leaseSeconds,
      startAfter: options.runAfter ? new Date(options.runAfter) : undefined,
    });
    if (sent) {
      // A stately queue merges a key only within one state: a job of this key that a worker
      // took (active) or that waits to retry, after the look above, let ours in. The older one
      // stands; ours is withdrawn while no worker has it (none can while the other is active).
      const older = options.key ? await this.olderWithKey(name, options.key, sent) : null;
      if (older && (await this.withdraw(queue, sent))) return older;
      this.wakeLoops(name);
      return sent;
    }
    // Another enqueue with the same key won the race.
    const active = options.key ? await this.activeWithKey(name, options.key) : null;
    return active ?? this.enqueue(name, data, options);
  }

  private async activeWithKey(name: string, key: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM ${this.schema}.job WHERE name IN ($1, $2) AND singleton_key = $3 AND state < 'completed' LIMIT 1`,
      [name, heavyQueue(name), key],
    );
    return rows[0]?.id ?? null;
  }

  /** An unfinished job of `key` queued before `id`, which is one of them. */
  private async olderWithKey(name: string, key: string, id: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT other.id FROM ${this.schema}.job other, ${this.schema}.job mine
       WHERE mine.id = $4 AND other.name IN ($1, $2) AND other.singleton_key = $3 AND other.state < 'completed'
         AND (other.created_on, other.id) < (mine.created_on, mine.id)
       ORDER BY other.created_on, other.id LIMIT 1`,
      [name, heavyQueue(name), key, id],
    );
    return rows[0]?.id ?? null;
  }

  /** Removes a job no worker has taken yet; false when one has. */
  private async withdraw(queue: string, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM ${this.schema}.job WHERE name = $1 AND id = $2 AND state = 'created'`,
      [queue, id],
    );
    return rowCount === 1;
  }

  async isActive(name: JobName, key: string): Promise<boolean> {
    return (await this.activeWithKey(name, key)) !== null;
  }

  async get(id: string): Promise<JobRecord | null> {
    const columns = `id, name, data, state, retry_limit AS "retryLimit", retry_count AS "retryCount", output,
      created_on AS "createdOn", started_on AS "startedOn", completed_on AS "completedOn"`;
    const { rows } = await this.pool.query<BossRow>(
      `SELECT ${columns} FROM ${this.schema}.job WHERE id = $1
       UNION ALL SELECT ${columns} FROM ${this.schema}.archive WHERE id = $1 LIMIT 1`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  onChange(listener: (job: JobRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async work(handlers: JobHandlers, options: WorkOptions = {}): Promise<void> {
    this.stopping = false;
    for (const name of Object.keys(handlers) as JobName[]) {
      await this.ensureQueue(name);
      await this.ensureQueue(heavyQueue(name));
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

  async close(): Promise<void> {
    await this.stop();
    await this.boss.stop({ graceful: false, close: false });
  }

  async drain(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { rows } = await this.pool.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM ${this.schema}.job WHERE name = ANY($1) AND state < 'completed'`,
        [[...JOB_NAMES, ...JOB_NAMES.map(heavyQueue)]],
      );
      if (rows[0].count === 0) return;
      await sleep(100);
    }
    throw new Error(`Jobs still running after ${timeoutMs} ms.`);
  }

  /**
   * A light-only worker fetches from the name's own queue; the others from both, taking turns
   * to start with the heavy one so neither waits behind the other for long.
   */
  private async loop(name: JobName, handlers: JobHandlers, lightOnly: boolean): Promise<void> {
    let heavyFirst = false;
    while (!this.stopping) {
      heavyFirst = !heavyFirst;
      const queues = lightOnly ? [name] : heavyFirst ? [heavyQueue(name), name] : [name, heavyQueue(name)];
      let job: PgBoss.JobWithMetadata<unknown> | undefined;
      for (const queue of queues) {
        [job] = await this.boss
          .fetch<unknown>(queue, { batchSize: 1, includeMetadata: true })
          .catch((error) => {
            this.options.onError?.(error);
            return [];
          });
        if (job) break;
      }
      if (!job) {
        await this.idle(name);
        continue;
      }
      await this.run(job, handlers[name] as (job: JobRecord, context: never) => Promise<void>).catch(
        (error) => this.options.onError?.(error),
      );
    }
  }

  private async run(
    job: PgBoss.JobWithMetadata<unknown>,
    handler: (job: JobRecord, context: never) => Promise<void>,
  ): Promise<void> {
    const record = toRecord({
      ...job,
      output: null,
      startedOn: job.startedOn,
      completedOn: null,
    });
    const controller = new AbortController();
    this.running.set(job.id, controller);
    const extend = (progress?: { done: number; total: number }) =>
      this.pool.query(
        `UPDATE ${this.schema}.job
         SET expire_in = (now() - started_on) + make_interval(secs => $3)
           ${progress ? `, output = jsonb_build_object('progressDone', $4::bigint, 'progressTotal', $5::bigint)` : ''}
         WHERE name = $1 AND id = $2 AND state = 'active'`,
        progress
          ? [job.name, job.id, this.leaseSeconds, progress.done, progress.total]
          : [job.name, job.id, this.leaseSeconds],
      );
    const heartbeat = setInterval(
      () => void extend().catch((error) => this.options.onError?.(error)),
      (this.leaseSeconds * 1000) / 3,
    );
    let lastWrite = 0;
    const context = {
      attempt: record.attempts,
      signal: controller.signal,
      progress: async (done: number, total: number) => {
        record.progressDone = done;
        record.progressTotal = total;
        const now = Date.now();
        if (now - lastWrite < 200 && done < total) return;
        lastWrite = now;
        await extend({ done, total });
        this.emit({ ...record, updatedAt: now });
      },
    };
    try {
      await handler(record, context as never);
      await this.boss.complete(job.name, job.id, {
        progressDone: record.progressDone,
        progressTotal: record.progressTotal,
      });
      this.emit({ ...record, state: 'done', updatedAt: Date.now() });
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      if (controller.signal.aborted && this.stopping) {
        // Stopped, not failed: back in the queue without using up an attempt (pg-boss counts a
        // retry when a job it fetches has started before).
        await this.pool.query(
          `UPDATE ${this.schema}.job SET state = 'created', started_on = NULL
           WHERE name = $1 AND id = $2 AND state = 'active'`,
          [job.name, job.id],
        );
      } else {
        const final = error instanceof FinalJobError;
        // pg-boss retries while retry_count < retry_limit: a final failure leaves no retry.
        if (final)
          await this.pool.query(
            `UPDATE ${this.schema}.job SET retry_limit = retry_count
             WHERE name = $1 AND id = $2 AND state = 'active'`,
            [job.name, job.id],
          );
        await this.boss.fail(job.name, job.id, { message });
        const state: JobState = !final && record.attempts < record.maxAttempts ? 'queued' : 'failed';
        this.emit({ ...record, state, error: message, updatedAt: Date.now() });
      }
    } finally {
      clearInterval(heartbeat);
      this.running.delete(job.id);
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
      const timer = setTimeout(done, this.options.pollMs ?? POLL_MS);
      waiters.add(done);
    });
  }

  private wakeLoops(name: JobName): void {
    for (const wake of [...(this.waiting.get(name) ?? [])]) wake();
  }

  private emit(job: JobRecord): void {
    for (const listener of this.listeners) listener(job);
  }
}

const STATES: Record<BossRow['state'], JobState> = {
  created: 'queued',
  retry: 'queued',
  active: 'running',
  completed: 'done',
  cancelled: 'failed',
  failed: 'failed',
};

/** Heavy jobs of a name wait in a queue of their own, which light-only workers never fetch from. */
function heavyQueue(name: string): string {
  return `${name}-heavy`;
}

function toRecord(row: BossRow): JobRecord {
  const output = row.output ?? {};
  const failedOrRetrying = row.state === 'failed' || row.state === 'retry';
  return {
    id: row.id,
    name: row.name.replace(/-heavy$/, '') as JobName,
    data: row.data as JobRecord['data'],
    state: STATES[row.state],
    // A created job has not started yet; pg-boss counts retries from the second attempt.
    attempts: row.state === 'created' ? row.retryCount : row.retryCount + 1,
    maxAttempts: row.retryLimit + 1,
    progressDone: Number(output.progressDone ?? 0),
    progressTotal: Number(output.progressTotal ?? 0),
    error: failedOrRetrying ? (output.message ?? output.value?.message ?? 'The job failed.') : null,
    createdAt: new Date(row.createdOn).getTime(),
    updatedAt: new Date(row.completedOn ?? row.startedOn ?? row.createdOn).getTime(),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
