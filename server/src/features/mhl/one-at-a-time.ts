import type { ClusterLock } from '../../ports/cluster-lock.js';

const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `work` while no other work of the same name runs, in this process (the cluster lock on
 * SQLite serializes nothing within one process, and direct calls from "Prepare for edit" run
 * beside the jobs) and across processes (PostgreSQL advisory locks).
 */
export async function oneAtATime<T>(lock: ClusterLock, name: string, work: () => Promise<T>): Promise<T> {
  const before = tails.get(name) ?? Promise.resolve();
  const mine = before.catch(() => {}).then(() => lock.run(name, work));
  const tail = mine.catch(() => {});
  tails.set(name, tail);
  try {
    return await mine;
  } finally {
    if (tails.get(name) === tail) tails.delete(name);
  }
}
