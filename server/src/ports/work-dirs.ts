import type { Readable } from 'node:stream';
import type { Checksums } from '../lib/checksums.js';

/**
 * Local scratch space of the job runners: S3 originals downloaded for the tools, derivatives
 * before they are stored. Each run gets its own directory, named for this process so a later
 * start can tell a dead process's leftovers from a live one's.
 */
export interface WorkDirs {
  /** A fresh, empty directory for one run (a `filmstrip/` inside), removed after `work` whatever happens. */
  run<T>(runId: string, work: (dir: string) => Promise<T>): Promise<T>;
  /** Removes directories left by processes that died (SIGKILL, power loss). */
  cleanDead(): Promise<void>;
  /** Writes `source` to `file`, hashing it on the way when asked. */
  download(
    source: Readable,
    file: string,
    signal: AbortSignal,
    checksums: boolean,
  ): Promise<Checksums | null>;
  /** Both checksums of a local file (the fs lake's own). */
  checksum(file: string, signal: AbortSignal): Promise<Checksums>;
  open(file: string): Readable;
  readText(file: string): Promise<string>;
}
