import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Checksums } from './checksums.js';

/**
 * xxHash64 + MD5 of byte streams, computed on worker threads.
 *
 * MD5 runs at about 2 s of CPU per GiB and cannot be split, so on the event loop it caps an
 * upload at MD5's speed and stalls every other request meanwhile. Here the event loop only
 * copies each chunk into a shared ring (memory speed) and the hashing of one stream overlaps
 * with receiving and writing it. The digests are the same as `ChecksumAccumulator`'s.
 */

/** Bytes a lane may run ahead of its hashing; bounds the memory of each stream being hashed. */
const RING_BYTES = 4 * 1024 * 1024;
/** Bytes handed to the worker per message: few messages, while the hash stays close behind. */
const BATCH_BYTES = 512 * 1024;
/** One core is left to the event loop, the disk and the client. */
const MAX_WORKERS = Math.max(1, Math.min(4, availableParallelism() - 1));

/** The running hashes of a portable lane after `bytes` bytes, to go on with in another process. */
export interface SavedHashes {
  bytes: number;
  md5: Uint8Array;
  xxh64: Uint8Array;
}

type Reply =
  | { op: 'consumed'; lane: number; bytes: number }
  | { op: 'saved'; lane: number; state: { md5: Uint8Array; xxh64: Uint8Array } }
  | { op: 'digest'; lane: number; xxh64: string; md5: string }
  | { op: 'failed'; lane: number; message: string };

class HashThread {
  readonly worker: Worker;
  readonly lanes = new Map<number, ChecksumLane>();
  private failure: Error | null = null;

  constructor(onGone: (thread: HashThread) => void) {
    this.worker = new Worker(new URL('./checksum-worker.mjs', import.meta.url), {
      // It holds no JavaScript objects worth a large young generation.
      resourceLimits: { maxYoungGenerationSizeMb: 2 },
    });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => this.lanes.get(reply.lane)?.receive(reply));
    const gone = (error: Error) => {
      this.failure ??= error;
      onGone(this);
      for (const lane of this.lanes.values()) lane.fail(error);
      this.lanes.clear();
    };
    this.worker.on('error', gone);
    this.worker.on('exit', (code) => gone(new Error(`The checksum thread exited (code ${code}).`)));
  }

  attach(
    id: number,
    lane: ChecksumLane,
    ring: SharedArrayBuffer,
    portable: { state?: { md5: Uint8Array; xxh64: Uint8Array } } | null,
  ): void {
    if (this.failure) throw this.failure;
    if (this.lanes.size === 0) this.worker.ref(); // a pending digest keeps the process alive
    this.lanes.set(id, lane);
    this.worker.postMessage({
      op: 'open',
      lane: id,
      ring,
      portable: portable !== null,
      state: portable?.state,
    });
  }

  detach(id: number): void {
    if (!this.lanes.delete(id)) return;
    this.worker.postMessage({ op: 'close', lane: id });
    if (this.lanes.size === 0) this.worker.unref();
  }

  post(
    message:
      | { op: 'update'; lane: number; start: number; end: number }
      | { op: 'digest'; lane: number }
      | { op: 'save'; lane: number },
  ) {
    this.worker.postMessage(message);
  }
}

const threads: HashThread[] = [];
let nextLaneId = 1;

function leastBusyThread(): HashThread {
  const idle = threads.find((t) => t.lanes.size === 0);
  if (idle) return idle;
  if (threads.length < MAX_WORKERS) {
    const thread = new HashThread((gone) => {
      const at = threads.indexOf(gone);
      if (at >= 0) threads.splice(at, 1);
    });
    threads.push(thread);
    return thread;
  }
  return threads.reduce((a, b) => (b.lanes.size < a.lanes.size ? b : a));
}

/**
 * One stream of bytes being checksummed. `push` copies a chunk into the lane's ring and
 * returns a promise only when the ring is full (the caller waits: back-pressure); `digest`
 * waits for the hash of everything pushed. A lane whose thread failed rejects its digest.
 *
 * A portable lane (for uploads) can `save` its running hashes and be started again from them
 * in any process; the others use the faster native hashers.
 */
export class ChecksumLane {
  /** Bytes pushed so far (including those of the state it resumed from). */
  bytes = 0;
  private readonly id = nextLaneId++;
  private readonly ring = new SharedArrayBuffer(RING_BYTES);
  private readonly view = new Uint8Array(this.ring);
  private readonly thread = leastBusyThread();
  private sent = 0;
  private consumed = 0;
  private failure: Error | null = null;
  private finished = false;
  private wake: (() => void) | null = null;
  private result: { resolve: (sums: Checksums) => void; reject: (error: Error) => void } | null = null;
  private saving: Array<{
    resolve: (state: SavedHashes) => void;
    reject: (error: Error) => void;
    bytes: number;
  }> = [];

  constructor(options: { portable?: boolean; resume?: SavedHashes } = {}) {
    const portable = options.portable || options.resume ? { state: options.resume } : null;
    if (options.resume) {
      // The ring's positions count from the resumed offset's ring position, as if those bytes passed.
      this.bytes = this.sent = this.consumed = options.resume.bytes;
    }
    this.thread.attach(this.id, this, this.ring, portable);
  }

  /** The running hashes of every byte pushed so far (portable lanes only). */
  save(): Promise<SavedHashes> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.finished) return Promise.reject(new Error('This checksum lane has already been digested.'));
    this.send();
    return new Promise((resolve, reject) => {
      this.saving.push({ resolve, reject, bytes: this.bytes });
      this.thread.post({ op: 'save', lane: this.id });
    });
  }

  push(chunk: Uint8Array): Promise<void> | undefined {
    // A failed or closed lane takes bytes and drops them: its digest says it failed.
    if (this.failure) return undefined;
    if (this.finished) throw new Error('This checksum lane has already been digested.');
    let offset = 0;
    while (offset < chunk.length && !this.failure) {
      const free = RING_BYTES - (this.bytes - this.consumed);
      if (free === 0) return this.pushWhenFree(chunk.subarray(offset));
      const at = this.bytes % RING_BYTES;
      const n = Math.min(free, chunk.length - offset, RING_BYTES - at);
      this.view.set(chunk.subarray(offset, offset + n), at);
      this.bytes += n;
      offset += n;
      // A batch never wraps around the ring's end, so the worker reads one contiguous range.
      if (this.bytes - this.sent >= BATCH_BYTES || this.bytes % RING_BYTES === 0) this.send();
    }
    return undefined;
  }

  digest(): Promise<Checksums> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.finished) return Promise.reject(new Error('This checksum lane has already been digested.'));
    this.finished = true;
    this.send();
    return new Promise((resolve, reject) => {
      this.result = { resolve, reject };
      this.thread.post({ op: 'digest', lane: this.id });
    });
  }

  /** Stops hashing; the lane cannot be digested any more. */
  close(): void {
    this.finished = true;
    this.thread.detach(this.id);
    this.fail(new Error('This checksum lane was closed.'));
  }

  /** @internal A reply from the lane's thread. */
  receive(reply: Reply): void {
    if (reply.op === 'consumed') {
      this.consumed += reply.bytes;
      this.wakeUp();
    } else if (reply.op === 'saved') {
      const waiting = this.saving.shift();
      waiting?.resolve({ bytes: waiting.bytes, md5: reply.state.md5, xxh64: reply.state.xxh64 });
    } else if (reply.op === 'digest') {
      this.thread.detach(this.id);
      this.result?.resolve({ xxh64: reply.xxh64, md5: reply.md5 });
      this.result = null;
    } else {
      this.thread.detach(this.id);
      this.fail(new Error(`Checksumming failed: ${reply.message}`));
    }
  }

  /** @internal */
  fail(error: Error): void {
    this.failure ??= error;
    this.wakeUp();
    for (const waiting of this.saving.splice(0)) waiting.reject(this.failure);
    this.result?.reject(this.failure);
    this.result = null;
  }

  private async pushWhenFree(rest: Uint8Array): Promise<void> {
    this.send();
    await new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    await this.push(rest);
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private send(): void {
    if (this.bytes === this.sent || this.failure) return;
    const start = this.sent % RING_BYTES;
    this.thread.post({ op: 'update', lane: this.id, start, end: start + (this.bytes - this.sent) });
    this.sent = this.bytes;
  }
}

/** Both checksums of a whole stream, hashed off the event loop. */
export async function checksumsOf(source: AsyncIterable<Uint8Array>): Promise<Checksums> {
  const lane = new ChecksumLane();
  try {
    for await (const chunk of source) await lane.push(chunk);
    return await lane.digest();
  } catch (error) {
    lane.close();
    throw error;
  }
}
