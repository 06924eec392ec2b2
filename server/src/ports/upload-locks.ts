import type { Locker } from '@tus/server';

/**
 * Locks on uploads shared by every server of a deployment (PostgreSQL advisory locks; in one
 * process on SQLite, where one process owns the catalog).
 *
 * - `newLock` is tus's locker: one request at a time writes or inspects an upload. A request
 *   that wants a lock another request holds asks it to let go (tus's `requestRelease`, also
 *   across servers), and gives up with a 423 after the lock timeout.
 * - `finishing` runs the publishing of a finished upload on one server only: it answers at
 *   once, without running `work`, when another request anywhere is finishing it.
 *
 * A lock is released when its request ends, and when its holder dies (its connection closes).
 */
export interface UploadLocks extends Locker {
  finishing<T>(id: string, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  close(): Promise<void>;
}
