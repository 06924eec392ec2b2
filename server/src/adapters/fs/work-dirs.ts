import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ChecksumAccumulator, ChecksumStream, type Checksums } from '../../lib/checksums.js';
import { processRuns } from '../../lib/process-identity.js';
import type { SharedSource, SourceRequest, WorkDirs } from '../../ports/work-dirs.js';
import { defaultSourceCopyLimits, SourceCopies, type SourceCopyLimits } from './source-copies.js';

/** Work directories under one root (`DAILIES_WORK_DIR`), each `<pid>-<run id>`. */
export class FsWorkDirs implements WorkDirs {
  private readonly sources: SourceCopies;

  constructor(
    private readonly root: string,
    sourceLimits: Partial<SourceCopyLimits> = {},
  ) {
    this.sources = new SourceCopies(root, { ...defaultSourceCopyLimits, ...sourceLimits });
  }

  sharedSource<T>(
    request: SourceRequest,
    fetch: (file: string) => Promise<T>,
  ): Promise<SharedSource<T> | null> {
    return this.sources.acquire(request, fetch);
  }

  dropSource(assetId: string): Promise<void> {
    return this.sources.drop(assetId);
  }

  async run<T>(runId: string, work: (dir: string) => Promise<T>): Promise<T> {
    const dir = join(this.root, `${process.pid}-${runId}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(join(dir, 'filmstrip'), { recursive: true });
    try {
      return await work(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async cleanDead(): Promise<void> {
    const entries = await readdir(this.root).catch(() => [] as string[]);
    for (const entry of entries) {
      const pid = Number(entry.split('-')[0]);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processRuns(pid)) {
        await rm(join(this.root, entry), { recursive: true, force: true });
      }
    }
  }

  async download(
    source: Readable,
    file: string,
    signal: AbortSignal,
    checksums: boolean,
  ): Promise<Checksums | null> {
    if (!checksums) {
      await pipeline(source, createWriteStream(file), { signal });
      return null;
    }
    const hashing = new ChecksumStream();
    await pipeline(source, hashing, createWriteStream(file), { signal });
    return hashing.checksums();
  }

  async checksum(file: string, signal: AbortSignal): Promise<Checksums> {
    const sum = new ChecksumAccumulator();
    for await (const chunk of createReadStream(file, { signal, highWaterMark: 1024 * 1024 }))
      sum.update(chunk);
    return sum.digest();
  }

  open(file: string): Readable {
    return createReadStream(file);
  }

  writeText(file: string, text: string): Promise<void> {
    return writeFile(file, text);
  }

  readText(file: string): Promise<string> {
    return readFile(file, 'utf8');
  }
}
