import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AssetJob,
  afterDerivativeDone,
  afterFailedAttempt,
  afterProbe,
  DERIVATIVE_JOBS,
  makes,
  planFor,
  stateFromTasks,
} from '../../src/features/processing/processing-state.js';
import type { TechnicalMetadata } from '../../src/ports/media.js';

/** A probe record with only what the state machine reads. */
function record(
  kind: TechnicalMetadata['kind'],
  options: { duration?: number | null; audio?: number; size?: number } = {},
): TechnicalMetadata {
  return {
    kind,
    general: { durationSeconds: options.duration ?? null, sizeBytes: options.size ?? 1000 },
    video: kind === 'video' ? [{ width: 1920, height: 1080, durationSeconds: null }] : [],
    audio: Array.from({ length: options.audio ?? 0 }, () => ({ codec: 'aac' })),
    image: kind === 'image' ? { width: 10, height: 10 } : null,
    raw: { ffprobe: null, mediainfo: null },
  } as unknown as TechnicalMetadata;
}

const TASK_STATES = ['queued', 'running', 'done', 'failed'] as const;
const task = fc.record({
  job: fc.constantFrom(...DERIVATIVE_JOBS),
  state: fc.constantFrom(...TASK_STATES),
  error: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
});

describe('the processing state machine', () => {
  it('plans derivatives by what the probe found', () => {
    // A video's proxy job makes its thumbnail and filmstrip in the same decode.
    expect(planFor(record('video', { duration: 10, audio: 2 }))).toEqual(['asset.proxy', 'asset.waveform']);
    expect(makes('asset.proxy', record('video', { duration: 10 }))).toEqual([
      'proxy',
      'thumbnail',
      'filmstrip',
      'filmstrip.vtt',
    ]);
    // A single frame has nothing to scrub and silence nothing to draw.
    expect(planFor(record('video', { duration: 0 }))).toEqual(['asset.proxy']);
    expect(makes('asset.proxy', record('video', { duration: 0 }))).toEqual(['proxy', 'thumbnail']);
    expect(makes('asset.proxy', record('image'))).toEqual(['proxy']);
    expect(planFor(record('audio'))).toEqual(['asset.thumbnail', 'asset.proxy', 'asset.waveform']);
    expect(planFor(record('image'))).toEqual(['asset.thumbnail', 'asset.proxy']);
    expect(planFor(record('other'))).toEqual([]);
  });

  it('after a probe, unplanned kinds are stale; a planned filmstrip job waits for the proxy', () => {
    const video = afterProbe('A001.mov', record('video', { duration: 5, audio: 1 }));
    expect(video.status).toEqual({ state: 'processing', stateReason: null, currentJob: null });
    expect(video.start).toEqual(['asset.proxy', 'asset.waveform']);
    expect(video.stale).toEqual([]);
    const still = afterProbe('A002.mov', record('video', { duration: 0 }));
    expect(still.stale).toEqual(['filmstrip', 'filmstrip.vtt', 'waveform']);
    const image = afterProbe('still.png', record('image'));
    expect(image.stale).toEqual(['filmstrip', 'filmstrip.vtt', 'waveform']);
    // A plan from before one decode (jobs queued then) still runs its filmstrip after the proxy.
    expect(afterDerivativeDone('asset.proxy', ['asset.thumbnail', 'asset.proxy', 'asset.filmstrip'])).toEqual(
      ['asset.filmstrip'],
    );
    expect(afterDerivativeDone('asset.proxy', image.tasks)).toEqual([]);
    expect(afterDerivativeDone('asset.thumbnail', video.tasks)).toEqual([]);
  });

  it('a file named like media that no tool reads fails; any other unreadable file is ready', () => {
    const broken = afterProbe('clip.MoV', record('other'));
    expect(broken.status.state).toBe('failed');
    expect(broken.status.stateReason).toMatch(/named \.mov but no video, audio or picture/);
    expect(broken.tasks).toEqual([]);
    expect(broken.start).toEqual([]);
    expect(afterProbe('empty.wav', record('other', { size: 0 })).status.stateReason).toMatch(/is empty/);
    for (const name of ['notes.txt', 'README', '.mov', 'archive.mov.zip']) {
      expect(afterProbe(name, record('other')).status).toEqual({
        state: 'ready',
        stateReason: null,
        currentJob: null,
      });
    }
  });

  it('a failed probe says another attempt follows until the last one, then fails the asset', () => {
    const failure = {
      job: 'asset.probe' as const,
      maxAttempts: 3,
      message: 'timed out',
      deterministic: false,
    };
    expect(afterFailedAttempt({ ...failure, attempt: 1 })).toEqual({
      final: false,
      probe: {
        state: 'processing',
        currentJob: 'probe',
        stateReason: 'Probe: timed out (attempt 1 of 3; trying again)',
      },
      task: null,
    });
    expect(afterFailedAttempt({ ...failure, attempt: 3 }).probe).toEqual({
      state: 'failed',
      currentJob: null,
      stateReason: 'Probe: timed out',
    });
    // A tool that read the file and said no: final at once, whatever the attempt.
    const refused = afterFailedAttempt({ ...failure, attempt: 1, deterministic: true });
    expect(refused.final).toBe(true);
    expect(refused.probe?.state).toBe('failed');
  });

  it('a failed derivative attempt requeues its task until the last attempt', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DERIVATIVE_JOBS),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 10 }),
        fc.boolean(),
        (job, attempt, maxAttempts, deterministic) => {
          const outcome = afterFailedAttempt({ job, attempt, maxAttempts, message: 'no', deterministic });
          expect(outcome.probe).toBeNull();
          expect(outcome.final).toBe(deterministic);
          expect(outcome.task?.state).toBe(deterministic || attempt >= maxAttempts ? 'failed' : 'queued');
          expect(outcome.task?.reason).toMatch(/^[A-Z][a-z]+: no$/);
        },
      ),
    );
  });

  it('the asset state from its tasks: a failure wins, open work is processing, else ready', () => {
    fc.assert(
      fc.property(fc.array(task, { maxLength: 6 }), (tasks) => {
        const status = stateFromTasks(tasks);
        const failed = tasks.find((t) => t.state === 'failed');
        if (failed) {
          expect(status).toEqual({ state: 'failed', currentJob: null, stateReason: failed.error });
        } else if (tasks.some((t) => t.state === 'queued' || t.state === 'running')) {
          expect(status.state).toBe('processing');
          const running = tasks.find((t) => t.state === 'running');
          expect(status.currentJob).toBe(running ? running.job.slice('asset.'.length) : null);
          if (status.stateReason !== null) expect(status.stateReason).toMatch(/\(trying again\)$/);
        } else {
          expect(status).toEqual({ state: 'ready', currentJob: null, stateReason: null });
        }
      }),
    );
  });

  it('every job has a label a person reads', () => {
    for (const job of ['asset.probe', ...DERIVATIVE_JOBS] as AssetJob[]) {
      const reason = afterFailedAttempt({
        job,
        attempt: 9,
        maxAttempts: 1,
        message: 'x',
        deterministic: false,
      });
      expect(reason.probe?.stateReason ?? reason.task?.reason).toMatch(
        /^(Probe|Thumbnail|Proxy|Filmstrip|Waveform): x$/,
      );
    }
  });
});
