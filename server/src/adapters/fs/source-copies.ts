import { mkdir, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { SharedSource, SourceRequest } from '../../ports/work-dirs.js';

interface Entry {
  assetId: string;
  version: string;
  dir: string;
  file: string;
  sizeBytes: number;
  /** Jobs holding the file now. */
  holders: number;
  lastUsed: number;
  /** Settles when the copy is complete (rejects when the fetch failed). */
  ready: Promise<unknown>;
  /** Removed when the last holder lets go (the asset's jobs are done, or a newer version came). */
  dropWhenFree: boolean;
}

/** What `ready` gives when the copy did not fit in the budget. */
const NOT_KEPT = Symbol('not kept');

export interface SourceCopyLimits {
  /** Bytes of originals kept at most, held or idle. */
  budgetBytes: number;
  /** The file system keeps at least this share of its size free. */
  minFreeFraction: number;
  /** A copy no job used for this long is removed (its asset finished in another process). */
  idleMs: number;
}

export const defaultSourceCopyLimits: SourceCopyLimits = {
  budgetBytes: 20 * 1024 ** 3,
  minFreeFraction: 0.05,
  idleMs: 10 * 60_000,
};

/**
 * One local copy of each asset's original per process, shared by the asset's jobs (probe,
 * thumbnail, proxy, waveform) so an S3 lake is read once per asset, not once per job. A copy
 * lives in `<root>/<pid>-source-…`, a name the start-up sweep removes once this process is gone,
 * so a crash leaves nothing behind for long.
 */
export class SourceCopies {
  private readonly entries = new Map<string, Entry>();
  private sequence = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly root: string,
    private readonly limits: SourceCopyLimits = defaultSourceCopyLimits,
  ) {}

  async acquire<T>(
    request: SourceRequest,
    fetch: (file: string) => Promise<T>,
  ): Promise<SharedSource<T> | null> {
    let entry = this.entries.get(request.assetId);
    if (entry && entry.version !== request.version) {
      // The content changed: the old copy goes once its holders finish.
      this.entries.delete(entry.assetId);
      await this.dropOrDefer(entry);
      entry = undefined;
    }
    if (entry) {
      const held = entry;
      held.holders++;
      held.lastUsed = Date.now();
      let kept: unknown;
      try {
        kept = await held.ready;
      } catch (error) {
        await this.release(held);
        throw error;
      }
      if (kept === NOT_KEPT) {
        await this.release(held);
        return null;
      }
      return { file: held.file, fetched: null, release: this.releaser(held) };
    }
    const dir = join(this.root, `${process.pid}-source-${++this.sequence}`);
    const fresh: Entry = {
      assetId: request.assetId,
      version: request.version,
      dir,
      file: join(dir, `source${request.extension}`),
      sizeBytes: request.sizeBytes,
      holders: 1,
      lastUsed: Date.now(),
      ready: Promise.resolve(),
      dropWhenFree: false,
    };
    // In the map before any await: a job arriving meanwhile waits for this copy.
    this.entries.set(request.assetId, fresh);
    const fetched = (async () => {
      if (!(await this.makeRoom(fresh))) return NOT_KEPT;
      await mkdir(dir, { recursive: true });
      return { value: await fetch(fresh.file) };
    })();
    fresh.ready = fetched;
    // Waiters see the failure through `ready`; nothing else may be left unhandled.
    fetched.catch(() => {});
    this.startTimer();
    try {
      const outcome = await fetched;
      if (outcome === NOT_KEPT) {
        if (this.entries.get(request.assetId) === fresh) this.entries.delete(request.assetId);
        fresh.holders--;
        if (this.entries.size === 0) this.stopTimer();
        return null;
      }
      return { file: fresh.file, fetched: outcome.value, release: this.releaser(fresh) };
    } catch (error) {
      // A half-written copy must not be handed to anyone: the next job fetches again.
      if (this.entries.get(request.assetId) === fresh) this.entries.delete(request.assetId);
      fresh.dropWhenFree = true;
      await this.release(fresh);
      throw error;
    }
  }

  /** The asset's jobs are done here: its copy goes now, or when the last holder lets go. */
  async drop(assetId: string): Promise<void> {
    const entry = this.entries.get(assetId);
    if (!entry) return;
    this.entries.delete(assetId);
    await this.dropOrDefer(entry);
  }

  /** Bytes kept now (held or idle). */
  keptBytes(): number {
    let sum = 0;
    for (const entry of this.entries.values()) sum += entry.sizeBytes;
    return sum;
  }

  /** A holder's release: once only, however often it is called. */
  private releaser(entry: Entry): () => Promise<void> {
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      await this.release(entry);
    };
  }

  private async release(entry: Entry): Promise<void> {
    entry.holders = Math.max(0, entry.holders - 1);
    entry.lastUsed = Date.now();
    if (entry.holders === 0 && entry.dropWhenFree) await this.remove(entry);
  }

  private async dropOrDefer(entry: Entry): Promise<void> {
    entry.dropWhenFree = true;
    if (entry.holders === 0) await this.remove(entry);
  }

  private async remove(entry: Entry): Promise<void> {
    if (this.entries.get(entry.assetId) === entry) this.entries.delete(entry.assetId);
    await rm(entry.dir, { recursive: true, force: true });
    if (this.entries.size === 0) this.stopTimer();
  }

  /**
   * Whether `sizeBytes` more fits within the budget and the disk's free space, after removing
   * idle copies, least recently used first. A copy that does not fit is not kept at all: the job
   * downloads into its own run directory as it would without sharing.
   */
  private async makeRoom(entry: Entry): Promise<boolean> {
    const sizeBytes = entry.sizeBytes;
    const fits = async () => {
      // `entry` is in the map already, so counted.
      if (this.keptBytes() > this.limits.budgetBytes) return false;
      const disk = await statfs(this.root).catch(() => null);
      if (!disk) return true;
      const free = disk.bavail * disk.bsize;
      return free - sizeBytes >= disk.blocks * disk.bsize * this.limits.minFreeFraction;
    };
    await mkdir(this.root, { recursive: true });
    if (await fits()) return true;
    const idle = [...this.entries.values()]
      .filter((e) => e.holders === 0 && e !== entry)
      .sort((a, b) => a.lastUsed - b.lastUsed);
    for (const entry of idle) {
      await this.remove(entry);
      if (await fits()) return true;
    }
    return false;
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweepIdle(), Math.min(60_000, this.limits.idleMs));
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Copies no job used for `idleMs`: their asset's last job ran in another process, or never ends here. */
  async sweepIdle(now = Date.now()): Promise<void> {
    for (const entry of [...this.entries.values()]) {
      if (entry.holders === 0 && now - entry.lastUsed >= this.limits.idleMs) await this.remove(entry);
    }
  }
}
