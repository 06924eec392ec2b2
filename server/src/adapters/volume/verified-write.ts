import { constants } from 'node:fs';
import { copyFile, type FileHandle, lstat, open } from 'node:fs/promises';
import type { CopyWatcher } from '../../ports/volume.js';

/** Chunks are gathered into writes of this size: fewer syscalls on network filesystems. */
const WRITE_BATCH = 4 * 1024 * 1024;
/**
 * Written bytes are flushed to stable storage in steps of this size while the copy goes on, so
 * the disk (or the share) writes while the next bytes arrive instead of all at the end.
 */
const FLUSH_STEP = 64 * 1024 * 1024;
const READ_BACK_CHUNK = 1024 * 1024;
/** How often a kernel copy's progress is looked at. */
const PROGRESS_EVERY_MS = 250;

/**
 * Writes `body` into an empty file and reads every byte back from it, in order, once it has
 * been flushed to stable storage: `readBack` sees the bytes the volume holds, not the ones
 * sent. Writing, flushing and reading back overlap, so a verified copy costs little more than
 * the flush a plain copy needs anyway. Returns the number of bytes written; when it resolves,
 * everything is flushed (fsync) and has been read back.
 */
export async function writeAndReadBack(
  handle: FileHandle,
  body: AsyncIterable<Uint8Array>,
  copy: CopyWatcher,
): Promise<number> {
  let written = 0;
  let flushed = 0;
  let bodyDone = false;
  let failure: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  const nudge = () => {
    const resume = wake;
    wake = null;
    resume?.();
  };

  // Flushes what is written and reads back what is flushed, behind the writes.
  const follower = (async () => {
    const buffer = Buffer.allocUnsafe(READ_BACK_CHUNK);
    let readAt = 0;
    for (;;) {
      if (failure) return;
      const target = written;
      if (target - flushed >= FLUSH_STEP || (bodyDone && target > flushed)) {
        await handle.datasync();
        flushed = target;
      }
      while (readAt < flushed && !failure) {
        const length = Math.min(READ_BACK_CHUNK, flushed - readAt);
        const { bytesRead } = await handle.read(buffer, 0, length, readAt);
        if (bytesRead === 0) throw new Error('The copy is shorter on the volume than what was written.');
        copy.readBack(buffer.subarray(0, bytesRead));
        readAt += bytesRead;
      }
      if (bodyDone && readAt === written) return;
      if (written - flushed < FLUSH_STEP && !bodyDone) await new Promise<void>((resolve) => (wake = resolve));
    }
  })().catch((error) => {
    failure ??= { error };
  });

  const writeAll = async (buffers: Uint8Array[], length: number) => {
    let pending = buffers;
    let remaining = length;
    while (remaining > 0) {
      const { bytesWritten } = await handle.writev(pending, written);
      written += bytesWritten;
      remaining -= bytesWritten;
      copy.written?.(written);
      if (remaining > 0) pending = [Buffer.concat(pending).subarray(bytesWritten)];
    }
    nudge();
  };

  // One batch is written while the next is read from the source.
  let writing: Promise<void> = Promise.resolve();
  try {
    let batch: Uint8Array[] = [];
    let batched = 0;
    for await (const chunk of body) {
      if (failure) break;
      batch.push(chunk);
      batched += chunk.length;
      if (batched >= WRITE_BATCH) {
        await writing;
        writing = writeAll(batch, batched);
        // Handled here so a failure waits for the next await instead of crashing the process.
        writing.catch(() => {});
        batch = [];
        batched = 0;
      }
    }
    await writing;
    if (!failure) await writeAll(batch, batched);
  } catch (error) {
    failure ??= { error };
  }
  bodyDone = true;
  nudge();
  await follower;
  if (failure) throw failure.error;
  await handle.sync();
  return written;
}

/**
 * Copies a file of the server's own disks into `target` inside the kernel (copy_file_range or
 * sendfile: the bytes never pass through the process, which is what makes a copy from an fs lake
 * about as fast as `cp`), flushes it, then reads every byte back. Returns the bytes copied.
 */
export async function copyFileAndReadBack(
  source: string,
  target: string,
  copy: CopyWatcher,
): Promise<number> {
  const progress = setInterval(() => {
    lstat(target).then(
      (info) => copy.written?.(info.size),
      () => {},
    );
  }, PROGRESS_EVERY_MS);
  try {
    // COPYFILE_EXCL: the target is made new; a name (a link) put there meanwhile is never written through.
    await copyFile(source, target, constants.COPYFILE_EXCL);
  } finally {
    clearInterval(progress);
  }
  const handle = await open(target, constants.O_RDWR | constants.O_NOFOLLOW);
  try {
    await handle.sync();
    const buffer = Buffer.allocUnsafe(WRITE_BATCH);
    let readAt = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, readAt);
      if (bytesRead === 0) break;
      copy.readBack(buffer.subarray(0, bytesRead));
      readAt += bytesRead;
    }
    copy.written?.(readAt);
    return readAt;
  } finally {
    await handle.close();
  }
}
