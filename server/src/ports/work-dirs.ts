import type { Readable } from 'node:stream';
import type { Checksums } from '../lib/checksums.js';

/**
 * Local scratch space of the job runners: S3 originals downloaded for the tools, derivatives
 * before they are stored. Each run gets its own directory, named for this process so a later
 * start can tell a dead process's leftovers from a live one's.
 */
/** The original an asset's jobs share: which asset, which content, how big, how named. */
export interface SourceRequest {
  assetId: string;
  /** The content's version (the lake's ETag): a changed file is a new copy. */
  version: string;
  /** `.mov`: kept so the tools see the kind of file. */
  extension: string;
  sizeBytes: number;
}

/** A shared local copy, held until `release`. */
export interface SharedSource<T> {
  file: string;
  /** What `fetch` returned, for the caller that fetched it; null for the others. */
  fetched: T | null;
  release(): Promise<void>;
}

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
  /**
   * A local copy of an asset's original shared by all its jobs in this process: `fetch` writes
   * it once (later callers wait for that and get the same file), and it stays until
   * `dropSource` or until the disk budget needs the room. Null when it would not fit: the caller
   * then downloads into its own run directory.
   */
  sharedSource<T>(
    request: SourceRequest,
    fetch: (file: string) => Promise<T>,
  ): Promise<SharedSource<T> | null>;
  /** The asset's jobs are done: its copy goes as soon as no job holds it. */
  dropSource(assetId: string): Promise<void>;
  open(file: string): Readable;
  readText(file: string): Promise<string>;
  writeText(file: string, text: string): Promise<void>;
}
