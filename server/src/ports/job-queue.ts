import type { JobName, JobPayload } from '../jobs/types.js';

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface JobRecord<N extends JobName = JobName> {
  id: string;
  name: N;
  data: JobPayload<N>;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  progressDone: number;
  progressTotal: number;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * Thrown by a handler when another attempt would fail the same way (a file no tool can read):
 * the job fails at once instead of using up its attempts. Any other error is retried.
 */
export class FinalJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FinalJobError';
  }
}

export interface EnqueueOptions {
  /**
   * Deduplication key, e.g. `${assetId}:proxy`. While a job with the same key is queued or
   * running, enqueue returns that job's id instead of adding another.
   */
  key?: string;
  maxAttempts?: number;
  /** Epoch ms before which the job does not run. */
  runAfter?: number;
  /**
   * Expected to run long (a long clip, a huge still): never taken by the workers kept for
   * light work (`WorkOptions.lightSlots`), so a slow asset never holds up everyone else's.
   */
  heavy?: boolean;
}

export interface JobContext {
  attempt: number;
  /** Reports progress; cheap to call often (implementations throttle writes). */
  progress(done: number, total: number): Promise<void>;
  /** Aborted when the queue stops; long handlers pass it to child processes. */
  signal: AbortSignal;
}

export type JobHandler<N extends JobName = JobName> = (
  job: JobRecord<N>,
  context: JobContext,
) => Promise<void>;
export type JobHandlers = { [N in JobName]: JobHandler<N> };

export interface WorkOptions {
  /** Workers per job name; names missing here get `defaultConcurrency`. */
  concurrency?: Partial<Record<JobName, number>>;
  defaultConcurrency?: number;
  /**
   * Of a name's workers, how many take only jobs not marked `heavy` (at most all but one:
   * heavy jobs always have a worker). The others take any job, oldest first.
   */
  lightSlots?: Partial<Record<JobName, number>>;
}

/** A durable queue: jobs survive a restart; a job whose worker died is picked up again. */
export interface JobQueue {
  enqueue<N extends JobName>(name: N, data: JobPayload<N>, options?: EnqueueOptions): Promise<string>;
  /**
   * `enqueue` of many jobs of one name (a reconcile that found 100,000 new objects), in few
   * round trips where the queue can. Returns their ids in order; keys deduplicate as in
   * `enqueue`, within the batch too.
   */
  enqueueMany<N extends JobName>(
    name: N,
    jobs: Array<{ data: JobPayload<N>; options?: EnqueueOptions }>,
  ): Promise<string[]>;
  get(id: string): Promise<JobRecord | null>;
  /** Whether a job of this name and deduplication key is queued or running (in any process). */
  isActive(name: JobName, key: string): Promise<boolean>;
  /** Starts workers in this process. Throws when a handler is missing for a known job name. */
  work(handlers: JobHandlers, options?: WorkOptions): Promise<void>;
  /** Stops taking jobs, aborts running ones (they are retried later), resolves when idle. */
  stop(): Promise<void>;
  /** Tests and CLI: resolves when no job is queued or running (or the timeout passes). */
  drain(timeoutMs?: number): Promise<void>;
  /** Called after every job state change (finished, failed, progress) of jobs this process runs. */
  onChange(listener: (job: JobRecord) => void): () => void;
  /** Stops workers and releases what the queue holds beyond the catalog connection. */
  close?(): Promise<void>;
}
