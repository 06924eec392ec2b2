import { join } from 'node:path';
import SQLite from 'better-sqlite3';

/** Thrown when another process holds the data dir; the CLI prints the message as it is. */
export class DataDirInUse extends Error {}

/**
 * One process per SQLite data dir: a second server (or worker, reconcile, import) would keep its
 * own job queue, events and settings beside the first and run silently split.
 *
 * The lock is an exclusive lock on a small SQLite file (`dailies.lock`) held while the process
 * lives: the kernel's file lock, so a process killed with SIGKILL leaves no stale lock behind
 * (no pid file to trust or clean).
 */
export function lockDataDir(dataDir: string, role: string): () => void {
  const file = join(dataDir, 'dailies.lock');
  const db = new SQLite(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec(
      'create table if not exists holder (role text not null, pid integer not null, since text not null)',
    );
    // In EXCLUSIVE mode the first write takes the file's exclusive lock and keeps it past the commit.
    db.transaction(() => {
      db.exec('delete from holder');
      db.prepare('insert into holder (role, pid, since) values (?, ?, ?)').run(
        role,
        process.pid,
        new Date().toISOString(),
      );
    })();
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY' || /locked/.test((error as Error).message)) {
      throw new DataDirInUse(
        `Another Dailies process (a server, worker, reconcile or import) is using the data dir ${dataDir}. ` +
          'On SQLite one process serves a data dir: stop that one first, or use PostgreSQL ' +
          '(DATABASE_URL) to run several servers and workers on one catalog.',
      );
    }
    throw error;
  }
  return () => db.close();
}
