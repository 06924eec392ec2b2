import type { Lock, RequestRelease } from '@tus/server';
import { AppError } from '../../lib/errors.js';
import type { UploadLocks } from '../../ports/upload-locks.js';

/** The answer to a request that waited the whole lock timeout for an upload another request holds. */
export class UploadLocked extends AppError {
  constructor() {
    super(423, 'locked', 'Another request is still writing or finishing this upload; try again in a moment.');
  }
}

/** What a deployment shares between its servers: a lock per key that one holder at a time gets. */
export interface SharedLocks {
  /** True when this process now holds `key` everywhere; false when another process holds it. */
  tryLock(kind: LockKind, key: string): Promise<boolean>;
  unlock(kind: LockKind, key: string): Promise<void>;
  /** Asks whoever holds `key` in another process to let go (tus's requestRelease). */
  askRelease(kind: LockKind, key: string): Promise<void>;
}

export type LockKind = 'write' | 'finish';

const FIRST_PAUSE_MS = 5;
const LONGEST_PAUSE_MS = 100;
const ASK_AGAIN_MS = 1_000;

/**
 * Upload locks: exclusive within this process by a map (a PostgreSQL session lock is re-entrant,
 * so two requests of one process would both get it), and across processes by `shared`.
 * Waiting polls with a growing pause: a lock is held for one request, rarely long.
 */
export class UploadLockTable implements UploadLocks {
  private readonly held = new Map<string, { release: RequestRelease | null }>();

  constructor(
    private readonly shared: SharedLocks | null,
    private readonly timeoutMs = 30_000,
  ) {}

  newLock(id: string): Lock {
    let mine = false;
    return {
      lock: async (signal, release) => {
        await this.acquire('write', id, signal, release);
        mine = true;
      },
      unlock: async () => {
        if (!mine) return;
        mine = false;
        await this.release('write', id);
      },
    };
  }

  async finishing<T>(id: string, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    const name = slot('finish', id);
    if (this.held.has(name)) return { ran: false };
    this.held.set(name, { release: null });
    let got = false;
    try {
      got = this.shared ? await this.shared.tryLock('finish', id) : true;
    } finally {
      if (!got) this.held.delete(name);
    }
    if (!got) return { ran: false };
    try {
      return { ran: true, value: await work() };
    } finally {
      await this.release('finish', id);
    }
  }

  /** Called by a shared lock table when another process asks for a lock this one holds. */
  releaseRequested(kind: LockKind, id: string): void {
    void this.held.get(slot(kind, id))?.release?.();
  }

  /** The connection that held this process's shared locks died: they are gone, so their requests stop. */
  sharedLost(): void {
    for (const entry of this.held.values()) void entry.release?.();
  }

  async close(): Promise<void> {}

  private async acquire(
    kind: LockKind,
    id: string,
    signal: AbortSignal,
    release: RequestRelease,
  ): Promise<void> {
    const name = slot(kind, id);
    const deadline = Date.now() + this.timeoutMs;
    let pause = FIRST_PAUSE_MS;
    let askedAt = Number.NEGATIVE_INFINITY;
    for (;;) {
      // Asked again now and then: the holder may have changed meanwhile.
      const ask = Date.now() - askedAt >= ASK_AGAIN_MS;
      const local = this.held.get(name);
      if (!local) {
        this.held.set(name, { release });
        let got = false;
        try {
          got = this.shared ? await this.shared.tryLock(kind, id) : true;
        } finally {
          if (!got) this.held.delete(name);
        }
        if (got) return;
        if (ask) await this.shared?.askRelease(kind, id).catch(() => {});
      } else if (ask) {
        await local.release?.();
      }
      if (ask) askedAt = Date.now();
      if (signal.aborted || Date.now() >= deadline) throw new UploadLocked();
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(pause, Math.max(1, deadline - Date.now()))),
      );
      pause = Math.min(LONGEST_PAUSE_MS, pause * 2);
    }
  }

  private async release(kind: LockKind, id: string): Promise<void> {
    const name = slot(kind, id);
    if (!this.held.delete(name)) return;
    await this.shared?.unlock(kind, id).catch(() => {
      // The connection is gone, and with it the lock.
    });
  }
}

function slot(kind: LockKind, id: string): string {
  return `${kind}:${id}`;
}
