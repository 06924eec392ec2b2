import type { Readable } from 'node:stream';
import { Xxh64Accumulator } from '../../lib/checksums.js';
import type { JobContext } from '../../ports/job-queue.js';
import type { Volume } from '../../ports/volume.js';

type Hasher = { update(chunk: Uint8Array): void };

/** Hashes chunks as they pass; stops when the job is aborted. */
export async function* passThrough(
  source: Readable,
  hashers: Hasher[],
  signal?: AbortSignal,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  try {
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
      signal?.throwIfAborted();
      for (const h of hashers) h.update(chunk);
      bytes += chunk.length;
      onBytes?.(bytes);
      yield chunk;
    }
  } finally {
    source.destroy();
  }
}

/** The xxHash64 of a stream, read to its end. */
export async function hashStream(
  source: Readable,
  signal?: AbortSignal,
  onBytes?: (n: number) => void,
): Promise<string> {
  const xxh = new Xxh64Accumulator();
  for await (const chunk of passThrough(source, [xxh], signal, onBytes)) void chunk;
  return xxh.digest();
}

/** The xxHash64 of a file on a volume. */
export async function hashOnVolume(
  volume: Volume,
  path: string,
  signal?: AbortSignal,
  onBytes?: (n: number) => void,
): Promise<string> {
  return hashStream(await volume.read(path), signal, onBytes);
}

/** Progress reports at most a few times a second. */
export function throttled(context: JobContext, total: number): (done: number) => void {
  let last = 0;
  return (done) => {
    const now = Date.now();
    if (now - last < 250) return;
    last = now;
    void context.progress(done, total).catch(() => {});
  };
}
